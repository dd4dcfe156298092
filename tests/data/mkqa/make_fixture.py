"""Writes expected.jsonl: MKQA's normalisation, F1 and exact match of the cases below, as computed
by the upstream evaluation code itself (apple/ml-mkqa, mkqa_eval_util.py), so that tn's Java port
is checked against the real thing rather than against strings written by hand.

    /usr/bin/python3 tests/data/mkqa/make_fixture.py ML_MKQA_DIR > tests/data/mkqa/expected.jsonl

ML_MKQA_DIR is a checkout of https://github.com/apple/ml-mkqa (the fixture was made at commit
651b8cc); its module imports numpy and matplotlib (Debian: python3-numpy, python3-matplotlib).
"""
import json
import sys

sys.path.insert(0, sys.argv[1])
import mkqa_eval_util as mkqa  # noqa: E402

# (lang, text): every article list and its quirks, ASCII and other punctuation, the languages split
# into characters, Unicode case and white space, and codes without rules.
NORMALIZE = [
    ("en", "The Beatles!"), ("en", "an apple a day"), ("en", "Theatre and the thea"), ("en", "A-ha (band)"),
    ("es", "Los Ángeles y el río"), ("es", "¿Qué? ¡Unas casas!"),
    ("vi", "Các của là cái chiếc những người"),
    ("de", "Der Hund, die Katze und das Haus"), ("de", "STRASSE und Straße, ein ẞ"),
    ("ar", "الكتاب في البيت"), ("ar", " ال^ كتاب"),
    ("nl", "nl De kat"), ("nl", "De kat en het huis, des der den"),
    ("sv", "En bil och ett hus"), ("da", "En bil og et hus"), ("no", "En bil, ei jente og et hus"),
    ("fr", "Le lequel des Halles"), ("fr", "L'homme d'affaires"), ("fr", "la une du monde"),
    ("pt", "O gato e a casa, os cães, um uma uns umas"),
    ("it", "Della casa il isola uno"), ("it", "l'uomo dell'anno, degl'italiani, un'altra"),
    ("fi", "Se yksi yks talo"), ("hu", "A kutya az egy ház"),
    ("ja", "「東京」、日本。"), ("ja", "東京タワー2015年 Tokyo"), ("ja", "𠮷野家"), ("ja", "ＡＢＣ　ｄｅｆ"),
    ("zh_cn", "北京 City"), ("zh_hk", "香港，九龍。"), ("zh_tw", "臺北 101"),
    ("th", "ภาษาไทย ok"), ("km", "ភាសាខ្មែរ"),
    ("ko", "서울 특별시"), ("ko", "2016년 서울!"),
    ("ru", "a\u00a0b\u3000c\u2007d\u202fe\u0085f\u200bg"), ("ru", "Москва, РОССИЯ"),
    ("el", "ΟΔΟΣ"), ("tr", "İSTANBUL ve IĞDIR"), ("he", "ירושלים."), ("pl", "ŁÓDŹ"),
    ("ms", "Kuala\tLumpur\n"), ("xx", "a-b (c) [d]..."), ("en", " \t\u3000 "), ("en", ""),
    ("ja", " \t\u3000 "), ("ja", "a\u0085b\u001cc"),
]

# (lang, prediction, gold answers): F1 and exact match, the best over the answers.
SCORE = [
    ("en", "the cat sat on the mat", ["a cat on a mat"]),
    ("en", "cat cat dog", ["cat dog dog"]),
    ("en", "dog", ["cat"]),
    ("en", "The!", [""]),
    ("en", "", ["x"]),
    ("en", "x", ["the"]),
    ("en", "", [""]),
    ("en", "in New York state", ["New York City", "NYC", "New York"]),
    ("en", "The NYC.", ["New York City", "NYC", "New York"]),
    ("en", "NYC!!", ["NY"]),
    ("ja", "2016年", ["2015年"]),
    ("ja", "東京です", ["東京", "とうきょう"]),
    ("ko", "2016년", ["2015년"]),
    ("ko", "2016 년", ["2015 년"]),
    ("zh_cn", "北京市", ["北京"]),
    ("th", "กรุงเทพ", ["กรุงเทพมหานคร"]),
    ("fr", "Le président de la République", ["président"]),
    ("it", "l'isola d'Elba", ["Elba"]),
    ("de", "Die Mauer fiel 1989", ["1989", "im Jahr 1989"]),
    ("ar", "القاهرة", ["قاهرة"]),
    ("es", "el río Amazonas", ["Amazonas"]),
]

for lang, text in NORMALIZE:
    print(json.dumps({"lang": lang, "text": text, "normalized": mkqa.normalize_answer_by_language(text, lang)},
                     ensure_ascii=False))
for lang, prediction, answers in SCORE:
    print(json.dumps({"lang": lang, "prediction": prediction, "answers": answers,
                      "f1": mkqa.map_f1_value(prediction, answers, lang),
                      "exact_match": mkqa.map_em_value(prediction, answers, lang)}, ensure_ascii=False))
