package tn.reasoning;

import tn.io.InvalidValueException;
import tn.data.LanguageCodes;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One language of MMLU-ProX as the original implementation's lm-evaluation-harness task defines it: the strings of
 * its lang_libs.py (data/mmlu-prox/languages.json) and what the task's YAML files derive from
 * them, each subject's description, the answer pattern and the stop strings.
 *
 * @param question        the label before a question ("Question:", "質問：")
 * @param options         the label before the options
 * @param cotPrefix       the opening of a worked answer in the prompt ("Answer: Let's think step by step.")
 * @param description     the description's template, with {subject} and {ans_suffix}
 * @param cotPrefixInData the opening the dataset's cot_content has instead ("A: Let's think step by step.")
 * @param answer          the closing phrase with {} for the letter ("the answer is ({})")
 * @param subjects        each subject's name in the language, by subject id
 */
public record MmluProxLanguage(String code, String question, String options, String cotPrefix, String description,
        String cotPrefixInData, String answer, Map<String, String> subjects) {
    private static final Map<String, MmluProxLanguage> ALL = load();

    /** The language of a code; a usage error lists the codes. */
    public static MmluProxLanguage of(String code) {
        MmluProxLanguage l = ALL.get(code);
        if (l == null)
            throw new InvalidValueException(
                    "{lang}: {}", LanguageCodes.notKnown(code, ALL.keySet(), "MMLU-ProX's languages"));
        return l;
    }

    public static List<String> codes() {
        return new ArrayList<>(ALL.keySet());
    }

    /**
     * The subject's description, the prompt's first line: the template with the subject's name
     * and the closing phrase for the letter X, and a line break.
     */
    public String descriptionOf(Subject subject) {
        return description.replace("{subject}", subjects.get(subject.id()))
                       .replace("{ans_suffix}", answer.replace("{}", "X"))
                + "\n";
    }

    /**
     * The pattern whose first match's group is the answer: the closing phrase with the letter
     * in optional parentheses. For en, the task generator strips the letters t, h and e and then
     * blanks from its start ("the answer is" -> "answer is").
     */
    public String answerRegex() {
        String regex = answer.replace("({})", "\\(?([ABCDEFGHIJ])\\)?");
        if (code.equals("en")) {
            int i = 0;
            while (i < regex.length() && "the".indexOf(regex.charAt(i)) >= 0) i++;
            regex = regex.substring(i).strip();
        }
        return regex;
    }

    public Pattern answerPattern() {
        return Pattern.compile(answerRegex());
    }

    /** The task's stop strings: generation ends where the text reaches one, and is cut there. */
    public List<String> until() {
        return List.of("</s>", "Q:", question, "<|im_end|>");
    }

    private static Map<String, MmluProxLanguage> load() {
        try (InputStream in = MmluProxLanguage.class.getResourceAsStream("/tn/reasoning/languages.json")) {
            if (in == null) throw new IllegalStateException("tn/reasoning/languages.json is missing from tn's jar");
            JsonObject all =
                    JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
            Map<String, MmluProxLanguage> m = new LinkedHashMap<>();
            for (String code : all.keySet().stream().sorted().toList()) {
                JsonObject o = all.getAsJsonObject(code);
                Map<String, String> subjects = new LinkedHashMap<>();
                for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("subjects").entrySet()) {
                    subjects.put(e.getKey(), e.getValue().getAsString());
                }
                for (Subject s : Subject.values()) {
                    if (!subjects.containsKey(s.id()))
                        throw new IllegalStateException(code + " has no name for " + s.id());
                }
                m.put(code,
                        new MmluProxLanguage(code, text(o, "question"), text(o, "options"), text(o, "cot_prefix"),
                                text(o, "description"), text(o, "cot_prefix_in_data"), text(o, "answer"),
                                Map.copyOf(subjects)));
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonObject o, String key) {
        return o.get(key).getAsString();
    }
}
