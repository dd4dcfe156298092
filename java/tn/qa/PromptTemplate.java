package tn.qa;

import tn.io.InvalidValueException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * How a question becomes a prompt: text with {question} in it. On the command line, \n and \t
 * stand for a line break and a tab, so that a template fits in one argument.
 */
public record PromptTemplate(String text) implements UnaryOperator<String> {
    public static final String PLACEHOLDER = "{question}";
    public static final String DEFAULT = "Answer the question in a few words.\\nQuestion: {question}\\nAnswer:";

    /**
     * The original implementation's prompts (its qa.py): the question, "? ", "Answer" in the language, ": ",
     * ending in that space. It has no others: its qa.py fails on any other language.
     */
    private static final Map<String, String> ORIGINAL =
            new TreeMap<>(Map.of("ja", "{question}? 答え: ", "nl", "{question}? Antwoord: ", "ko",
                    "{question}? 답변: ", "it", "{question}? Risposta: ", "en", "{question}? Answer: "));

    public PromptTemplate {
        if (!text.contains(PLACEHOLDER)) {
            throw new InvalidValueException("{template} '{}' has no {} for the question", text, PLACEHOLDER);
        }
    }

    /** A template as typed, with \n, \t and \\ unescaped. */
    public static PromptTemplate parse(String typed) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c == '\\' && i + 1 < typed.length()) {
                char next = typed.charAt(i + 1);
                if (next == 'n' || next == 't' || next == '\\') {
                    b.append(next == 'n' ? '\n' : next == 't' ? '\t' : '\\');
                    i++;
                    continue;
                }
            }
            b.append(c);
        }
        return new PromptTemplate(b.toString());
    }

    /** The original's prompt for lang; it has them for ja, nl, ko, it and en. */
    public static PromptTemplate original(String lang) {
        String text = ORIGINAL.get(lang);
        if (text == null) {
            throw new InvalidValueException("the original implementation has prompts for {} only, not '{}': give "
                            + "{template} (e.g. '{}', in its style) or {protocol} tn",
                    String.join(", ", ORIGINAL.keySet()), lang, PLACEHOLDER + "? Antwort: ");
        }
        return new PromptTemplate(text);
    }

    @Override
    public String apply(String question) {
        return text.replace(PLACEHOLDER, question);
    }
}
