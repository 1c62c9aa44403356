package io.andon.prometheus;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PromQL from user text in Prometheus 3 style: UTF-8 metric and label names are quoted ({@code {"my.metric",
 * "label.name"="x"}}), so a template now holds string literals that are names, beside those that are values. A
 * user value substituted into such a template must still only ever be one string literal: the expression's shape
 * (everything outside literals) is the template's, and the literal reads back as exactly the value. Checked with a
 * tokenizer of PromQL's string rules (Go syntax: "…" and '…' with escapes, `…` raw) on hostile values.
 */
class PromQL3QuotingTest {
    /** Quotes, backslashes, newlines, braces, UTF-8, what a regex or a Go template treats specially, a variable. */
    static final List<String> HOSTILE = List.of(
            "P01\"} or vector(1) or up{x=\"", "a\\", "\\\"", "\\\\\"}", "line1\nline2\r\n", "tab\there", "{", "}", "}[5m]) or on() vector(1) #",
            "\"my.metric\"", "label.name\"=\"x", "`raw`", "'single'", "上海一厂", "温度.℃ 🏭", "\u2028\u2029", "nul\u0000end", "del\u007f",
            "$plant", "\"$plant\"", "a.b|c*", "(?i).*", "{{ .Labels }}", "", " ", "x\" , \"y", "\\x41\\u0041");

    record Token(boolean literal, String text) {}

    /** Splits PromQL into literals (decoded) and the text between them; fails on an unterminated literal. */
    static List<Token> tokens(String q) {
        List<Token> out = new ArrayList<>();
        StringBuilder outside = new StringBuilder();
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (c != '"' && c != '\'' && c != '`') {
                outside.append(c);
                continue;
            }
            out.add(new Token(false, outside.toString()));
            outside.setLength(0);
            StringBuilder lit = new StringBuilder();
            int j = i + 1;
            for (; ; j++) {
                if (j >= q.length()) throw new AssertionError("unterminated literal in " + q);
                char d = q.charAt(j);
                if (d == c) break;
                if (c != '`' && (d == '\n' || d == '\r')) throw new AssertionError("raw newline inside a literal: " + q);
                if (c != '`' && d == '\\') {
                    char e = q.charAt(++j);
                    switch (e) {
                        case 'n' -> lit.append('\n');
                        case 'r' -> lit.append('\r');
                        case 't' -> lit.append('\t');
                        case '\\', '"', '\'' -> lit.append(e);
                        case 'x' -> {
                            lit.append((char) Integer.parseInt(q.substring(j + 1, j + 3), 16));
                            j += 2;
                        }
                        default -> throw new AssertionError("unknown escape \\" + e + " in " + q);
                    }
                } else {
                    lit.append(d);
                }
            }
            out.add(new Token(true, lit.toString()));
            i = j;
        }
        out.add(new Token(false, outside.toString()));
        return out;
    }

    static String shape(List<Token> ts) {
        StringBuilder sb = new StringBuilder();
        for (Token t : ts) sb.append(t.literal() ? "S" : t.text());
        return sb.toString();
    }

    @Test
    void aValueInAUtf8SelectorStaysOneLiteral() {
        String template = "sum by (\"plant.name\") (rate({\"http.server.request.duration\", \"plant.name\"=\"$plant\", \"温度.℃\"!=\"\"}[5m]))";
        String expectedShape = shape(tokens(template));
        for (String v : HOSTILE) {
            String q = PromQL.render(template, Map.of("plant", v));
            List<Token> ts = tokens(q);
            assertThat(shape(ts)).as(v).isEqualTo(expectedShape);
            List<String> literals = ts.stream().filter(Token::literal).map(Token::text).toList();
            // the quoted names stay names, the value reads back exactly
            assertThat(literals).as(v).containsExactly("plant.name", "http.server.request.duration", "plant.name", v, "温度.℃", "");
        }
    }

    @Test
    void aRegexValueMatchesOnlyItselfInUtf8Selectors() {
        String template = "{\"my.metric\", \"label.name\"=~\"$v\"}";
        for (String v : HOSTILE) {
            String q = PromQL.render(template, Map.of("v", v));
            List<Token> ts = tokens(q);
            assertThat(shape(ts)).as(v).isEqualTo("{S, S=~S}");
            String regex = ts.stream().filter(Token::literal).map(Token::text).toList().get(2);
            // RE2 and java.util.regex agree on these escapes: the regex matches the value and nothing longer
            assertThat(java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.DOTALL).matcher(v).matches()).as(v + " -> " + regex).isTrue();
            assertThat(java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.DOTALL).matcher(v + "x").matches()).as(v).isFalse();
        }
    }

    @Test
    void quotedNamesInTheTemplateAreNotVariables() {
        // "$1" in a quoted label name or in label_replace's replacement is text; only a whole "$name" is a variable
        assertThat(PromQL.render("label_replace({\"my.metric\"}, \"dst.name\", \"$1\", \"src.name\", \"(.*)\")", Map.of()))
                .isEqualTo("label_replace({\"my.metric\"}, \"dst.name\", \"$1\", \"src.name\", \"(.*)\")");
        assertThat(PromQL.variables("{\"my.metric\", \"plant.name\"=\"$plant\", \"line\"=~\"$line\"}")).containsExactly("plant", "line");
        // no second pass: a value that looks like a variable is not substituted again
        assertThat(PromQL.render("{\"a.b\"=\"$x\", \"c.d\"=\"$y\"}", Map.of("x", "\"$y\"", "y", "Y"))).isEqualTo("{\"a.b\"=\"\\\"$y\\\"\", \"c.d\"=\"Y\"}");
    }

    @Test
    void aVariableOutsideAQuotedNameIsStillRefused() {
        assertThatThrownBy(() -> PromQL.render("{\"my.metric\", \"label.name\"=$v}", Map.of("v", "x"))).hasMessageContaining("$v must be a whole quoted label value");
        assertThatThrownBy(() -> PromQL.render("rate({\"my.metric\"}[$w])", Map.of("w", "5m"))).hasMessageContaining("$w");
    }

    @Test
    void escapedUtf8IsKeptAsIsNotHexed() {
        // PromQL strings are UTF-8: only control characters are escaped, so a Chinese plant name is sent readable
        assertThat(PromQL.literal("温度.℃\n")).isEqualTo("\"温度.℃\\n\"");
        assertThat(PromQL.literal("\u0001")).isEqualTo("\"\\x01\"");
    }
}
