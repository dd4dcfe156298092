package tn.report;

/**
 * Builds an HTML document in memory. Every piece of text and every attribute value goes through
 * {@link #escape}, so file names, table cells and JSON values from run folders cannot inject
 * markup; only the page's own constant style sheet is written unescaped ({@link #trusted}).
 */
public final class HtmlWriter {
    private final StringBuilder out = new StringBuilder();

    /** Text made safe for element content and for quoted attribute values. */
    public static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** An opening tag; attributes come as name, value pairs (a null value leaves the attribute out). */
    public HtmlWriter open(String tag, String... attributes) {
        if (attributes.length % 2 != 0) throw new IllegalArgumentException("attributes come in name, value pairs");
        out.append('<').append(tag);
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
            }
        }
        out.append('>');
        return this;
    }

    public HtmlWriter close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    public HtmlWriter text(String text) {
        out.append(escape(text));
        return this;
    }

    /** An element holding only text. */
    public HtmlWriter element(String tag, String text, String... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    /** Markup written as is: for the page's own constants (doctype, style sheet), never for data. */
    HtmlWriter trusted(String markup) {
        out.append(markup);
        return this;
    }

    public HtmlWriter newline() {
        out.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
