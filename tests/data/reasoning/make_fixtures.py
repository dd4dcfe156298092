"""Makes the reasoning fixtures by running the seed's own lm-evaluation-harness code.

usage: python3 make_fixtures.py HARNESS_DIR

HARNESS_DIR is analysis/reasoning/lm-evaluation-harness of a checkout of
HinaTezuka/emnlp2025-transfer-neurons. Needs Python 3.10+ with PyYAML, Jinja2 and NumPy; what
else the harness imports but these fixtures do not use (datasets, tqdm, sacrebleu, dill,
sqlitedict, evaluate) is stubbed, datasets by a list with the one method the task uses
(filter, which keeps the order). Writes, beside this script:

  sample/test.jsonl, sample/validation.jsonl   made-up MMLU-ProX rows (the release's fields)
  expected/languages.json     per language: each subject's description, the answer regex and
                              the `until` stop strings, as the harness loads the task's YAML
  expected/prompts.jsonl.gz   per language and test row: the prompt the harness builds
                              (build_all_requests, the plain-text rendering of fewshot_context)
  expected/scores.jsonl.gz    per language and test row: a made-up raw generation, the text
                              after the harness cuts it at the stop strings, what its regex
                              filter extracts and whether exact_match counts it correct
  expected/accuracy.json      per language: accuracy per subject and the size-weighted total,
                              by the harness's aggregation
"""
import gzip
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
STUBS = {
    "datasets.py": '''
__version__ = "2.19.0"
class Dataset:
    def __init__(self, rows):
        self._rows = list(rows)
        self.features = {k: None for k in (self._rows[0] if self._rows else {})}
    def filter(self, fn):
        return Dataset([r for r in self._rows if fn(r)])
    def __len__(self):
        return len(self._rows)
    def __getitem__(self, i):
        return self._rows[i]
    def __iter__(self):
        return iter(self._rows)
def load_dataset(*a, **k):
    raise RuntimeError("no downloads here")
''',
    "tqdm.py": "def tqdm(it=None, *a, **k):\n    return it\n",
    "sacrebleu.py": "",
    "dill.py": "",
    "sqlitedict.py": "",
    "evaluate.py": "",
    "lm_eval-0.4.10.dev0.dist-info/METADATA": "Metadata-Version: 2.1\nName: lm_eval\nVersion: 0.4.10.dev0\n",
}

SUBJECTS = ["biology", "business", "chemistry", "computer_science", "economics", "engineering", "health", "history",
            "law", "math", "other", "philosophy", "physics", "psychology"]


def category(subject):
    return subject.replace("_", " ")


def sample(lang_libs):
    """Made-up rows in the release's format, with the cases the prompt must get right."""
    langs = list(lang_libs)
    letters = "ABCDEFGHIJ"

    def row(qid, cat, question, options, answer, cot, src="made-up"):
        r = {"question_id": qid, "question": question}
        for i in range(10):
            r[f"option_{i}"] = options[i] if i < len(options) else None
        r["answer"] = answer
        r["answer_index"] = letters.index(answer)
        r["cot_content"] = cot
        r["category"] = cat
        r["src"] = src
        return r

    validation = []
    qid = 100
    # every language's own chain-of-thought opening appears in some few-shot row of a subject
    # under test, so that each language's replacement of it is exercised
    used = ["biology", "computer_science", "law"]
    k = 0
    for s in used + ["math"]:
        n = 6 if s == "biology" else 5
        for j in range(n):
            mine = [langs[(k + t) % len(langs)] for t in range(2)]
            k += 2
            opening = lang_libs[mine[0]][4]
            cot = (f"{opening} The {category(s)} fact number {j} says so; "
                   f"{lang_libs[mine[1]][4]} (quoted) and again {opening}\n"
                   f"So the answer is ({letters[j % 4]}).")
            if j == 3:
                cot = "No usual opening here. The answer is (D)."
            options = [f"option {i} of {s} {j}" for i in range(10 if j % 2 == 0 else 4)]
            if j == 1:
                options = ["", "  spaced  ", "{braces} and {{ jinja }}", "100% sure", "ünïcødé ✓", None, "after a gap"]
            validation.append(row(qid, category(s), f"Few-shot question {j} about {category(s)}:\nwhat holds?\n",
                                  options, letters[j % 4], cot))
            qid += 1
        if s == "biology":
            validation.append(row(qid, "physics", "A physics row between the biology rows.", ["a", "b"], "A",
                                  "A: Let's think step by step. Physics."))
            qid += 1
    # subjects of unequal sizes, interleaved, so that the size-weighted total is not the plain mean
    test = []
    sizes = {"biology": 4, "computer_science": 2, "law": 3}
    for j in range(4):
        for s in used:
            if j >= sizes[s]:
                continue
            opts = [f"{s} choice {i}" for i in range(3 + 2 * j)]
            if j == 2:
                opts[1] = None
            test.append(row(10 * (j + 1) + used.index(s), category(s),
                            f"Test question {j} of {category(s)}: which is right?\tTabs, \"quotes\" and \\ backslashes.",
                            opts, letters[(j + used.index(s)) % len(opts)], ""))
    return test, validation


def generations(lang, lib, subject, rows):
    """Made-up raw continuations: right, wrong, without parentheses, two answers, none, lower case."""
    answer = lib[5]
    out = []
    for j, r in enumerate(rows):
        gold = r["answer"]
        wrong = "B" if gold != "B" else "C"
        kind = (7 * j + 3 * SUBJECTS.index(subject) + sum(map(ord, lang))) % 6
        body = f"Some reasoning for {r['question_id']}. "
        if kind == 0:
            text = body + answer.format(gold) + "."
        elif kind == 1:
            text = body + answer.format(wrong) + "."
        elif kind == 2:
            text = body + answer.replace("({})", "{}").format(gold) + " and more."
        elif kind == 3:
            text = body + answer.format(wrong) + "; no, " + answer.format(gold) + "."
        elif kind == 4:
            text = body + "I cannot tell."
        else:
            text = body + answer.format(gold.lower()) + "."
        # what follows a stop string is cut away, with the answer it would give
        stop = [lib[0], "Q:", "</s>", "<|im_end|>"][j % 4]
        out.append(text + "\n\n" + stop + " " + answer.format(gold) + " " + answer.format(wrong))
    return out


def main(harness):
    stubs = tempfile.mkdtemp(prefix="lm-eval-stubs-")
    for name, text in STUBS.items():
        os.makedirs(os.path.dirname(os.path.join(stubs, name)), exist_ok=True)
        with open(os.path.join(stubs, name), "w") as f:
            f.write(text)
    sys.path[:0] = [stubs, harness]

    import datasets
    from lm_eval.api.metrics import aggregate_subtask_metrics
    from lm_eval.api.task import ConfigurableTask
    from lm_eval.models.utils import handle_stop_sequences, postprocess_generated_text
    from lm_eval.tasks.mmlu_prox.lang_libs import LANG_LIBS
    from lm_eval.utils import load_yaml_config

    tasks_dir = os.path.join(harness, "lm_eval", "tasks", "mmlu_prox")
    test, validation = sample(LANG_LIBS)
    os.makedirs(os.path.join(HERE, "sample"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "expected"), exist_ok=True)
    for name, rows in [("test", test), ("validation", validation)]:
        with open(os.path.join(HERE, "sample", name + ".jsonl"), "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")

    languages, prompts, scores, accuracy = {}, [], [], {}
    for lang in sorted(LANG_LIBS):
        entry = {"subjects": {}}
        per_subject = {}
        for subject in SUBJECTS:
            cfg = load_yaml_config(os.path.join(tasks_dir, lang, f"mmlu_prox_{lang}_{subject}.yaml"))
            entry["subjects"][subject] = {"description": cfg["description"],
                                          "category": cfg["process_docs"].keywords["subject"]}
            regex = [f for f in cfg["filter_list"][0]["filter"] if f["function"] == "regex"][0]["regex_pattern"]
            until = cfg["generation_kwargs"]["until"]
            entry.setdefault("answer_regex", regex)
            entry.setdefault("until", until)
            assert entry["answer_regex"] == regex and entry["until"] == until
            assert cfg["num_fewshot"] == 5 and cfg["fewshot_config"]["sampler"] == "first_n"
            assert cfg["generation_kwargs"]["max_gen_toks"] == 2048
            if category(subject) not in {r["category"] for r in test}:
                continue
            cfg["custom_dataset"] = lambda **kw: {"test": datasets.Dataset(test),
                                                  "validation": datasets.Dataset(validation)}
            task = ConfigurableTask(config=cfg)
            task.build_all_requests(rank=0, world_size=1)
            instances = task.instances
            raw = generations(lang, LANG_LIBS[lang], subject, [i.doc for i in instances])
            stop = handle_stop_sequences(list(until), eos="</s>")
            for inst, text in zip(instances, raw):
                context, gen_kwargs = inst.args
                assert gen_kwargs["until"] == until
                prompts.append({"lang": lang, "question_id": inst.doc["question_id"], "subject": subject,
                                "prompt": context})
                inst.resps = [postprocess_generated_text(text, stop, None)]
            task.apply_filters()
            correct = []
            for inst, text in zip(instances, raw):
                extracted = inst.filtered_resps["custom-extract"]
                em = task.process_results(inst.doc, [extracted])["exact_match"]
                correct.append(em)
                scores.append({"lang": lang, "question_id": inst.doc["question_id"], "subject": subject,
                               "raw": text, "generation": inst.resps[0], "gold": inst.doc["answer"],
                               "extracted": extracted, "correct": bool(em)})
            per_subject[subject] = {"n": len(correct), "accuracy": sum(correct) / len(correct)}
        names = list(per_subject)
        total = aggregate_subtask_metrics([per_subject[s]["accuracy"] for s in names],
                                          [per_subject[s]["n"] for s in names], weight_by_size=True)
        accuracy[lang] = {"subjects": per_subject, "total": total}
        languages[lang] = entry

    with open(os.path.join(HERE, "expected", "languages.json"), "w", encoding="utf-8") as f:
        json.dump(languages, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(HERE, "expected", "accuracy.json"), "w", encoding="utf-8") as f:
        json.dump(accuracy, f, ensure_ascii=False, indent=1)
        f.write("\n")
    for name, rows in [("prompts", prompts), ("scores", scores)]:
        with gzip.GzipFile(os.path.join(HERE, "expected", name + ".jsonl.gz"), "wb", mtime=0) as f:
            for r in rows:
                f.write((json.dumps(r, ensure_ascii=False) + "\n").encode("utf-8"))
    print(f"{len(languages)} languages, {len(prompts)} prompts, {len(scores)} scored generations")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(os.path.abspath(sys.argv[1]))
