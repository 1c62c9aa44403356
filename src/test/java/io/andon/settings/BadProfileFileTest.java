package io.andon.settings;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Broken profiles files (hand-edited, cut off, from another tool): the message names the file, the line where the
 * JSON says it, and the problem in words; a password in a URL is never echoed.
 */
class BadProfileFileTest {
    static final String GOOD_SOURCE = "{\"url\":\"http://prom:9090\",\"user\":\"ops\",\"caFile\":null}";

    static Stream<Arguments> files() {
        return Stream.of(
                arguments("empty", "", "profiles.json: the file is empty"),
                arguments("blank", "  \n\n", "profiles.json: the file is empty"),
                arguments("missing-comma", "[\n {\"name\":\"plant\"\n  \"prometheus\":" + GOOD_SOURCE + "}\n]", "profiles.json:3: not valid JSON: Unexpected character"),
                arguments("cut-off", "[\n {\"name\":\"plant\",\n  \"prometheus\":{\"url\":\"http://pr", "profiles.json:3: the JSON ends too early"),
                arguments("object-not-list", "{\"name\":\"plant\"}", "profiles.json:1: expected a JSON list of profiles (expected a list, found an object)"),
                arguments("alertmanagers-a-string", "[\n {\"name\":\"plant\",\n  \"alertmanagers\":\"http://am:9093\"}]",
                        "profiles.json:3: wrong type in profile 1, field 'alertmanagers' (expected a list, found a string)"),
                arguments("prometheus-a-list", "[{\"name\":\"plant\",\"prometheus\":[\"http://prom:9090\"]}]",
                        "profiles.json:1: wrong type in profile 1, field 'prometheus' (expected an object, found a list)"),
                arguments("unknown-field", "[\n {\"name\":\"plant\",\n  \"colour\":\"red\"}]", "profiles.json:3: unknown field 'colour' in profile 1"),
                arguments("no-name", "[{\"prometheus\":" + GOOD_SOURCE + "}]", "profiles.json: profile 1 has no name"),
                arguments("null-profile", "[null]", "profiles.json: profile 1 is null"),
                arguments("twice", "[{\"name\":\"plant\"},\n{\"name\":\"plant\"}]", "profiles.json:2: profile 'plant' is there twice"),
                arguments("ftp-url", "[{\"name\":\"plant\",\n\"prometheus\":{\"url\":\"ftp://prom:9090\"}}]",
                        "profiles.json:2: profile 'plant': prometheus URL 'ftp://prom:9090' must start with http:// or https://"),
                arguments("url-with-space", "[{\"name\":\"plant\",\"alertmanagers\":[\n{\"url\":\"http://am 1:9093\"}]}]",
                        "profiles.json:2: profile 'plant': alertmanager URL 'http://am 1:9093' is not a URL (Illegal character in authority)"),
                arguments("url-without-host", "[{\"name\":\"plant\",\"elasticsearch\":{\"url\":\"http:/es\"}}]",
                        "profiles.json:1: profile 'plant': elasticsearch URL 'http:/es' has no host"),
                arguments("url-with-password", "[{\"name\":\"plant\",\n\n\"prometheus\":{\"url\":\"http://ops:hunter2@prom:9090\"}}]",
                        "profiles.json:3: profile 'plant': prometheus URL (hidden: it carries credentials) must not carry credentials"),
                arguments("traces-unknown-kind", "[{\"name\":\"plant\",\n\"traces\":{\"kind\":\"skywalking\",\"url\":\"http://sw:12800\"}}]",
                        "profiles.json:2: profile 'plant': trace source kind 'skywalking' is not one of zipkin, jaeger, tempo"),
                arguments("traces-url-without-scheme", "[{\"name\":\"plant\",\n\"traces\":{\"kind\":\"jaeger\",\"url\":\"jaeger:16686\"}}]",
                        "profiles.json:2: profile 'plant': traces URL 'jaeger:16686' must start with http:// or https://"),
                arguments("traces-a-string", "[{\"name\":\"plant\",\n\"traces\":\"http://zipkin:9411\"}]",
                        "profiles.json:2: wrong type in profile 1, field 'traces' (expected an object, found a string)"),
                arguments("traces-unknown-field", "[{\"name\":\"plant\",\n\"traces\":{\"url\":\"http://zipkin:9411\",\"password\":\"x\"}}]",
                        "profiles.json:2: unknown field 'password' in profile 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void badProfilesFileIsExplained(String id, String content, String expected, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("profiles.json");
        Files.writeString(file, content);
        ProfileStore store = new ProfileStore(dir);
        assertThatThrownBy(store::list).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> System.out.println("[" + id + "] " + e.getMessage()))
                .hasMessageStartingWith(dir + "/" + expected)
                .satisfies(e -> namedOnce(e.getMessage(), expected))
                .hasMessageNotContaining("hunter2").hasMessageNotContaining("io.andon").hasMessageNotContaining("java.util");
        // the same words when the file comes in through import
        assertThatThrownBy(() -> new ProfileStore(dir.resolve("other")).importFrom(file)).hasMessageContaining(expected.substring(expected.indexOf(':')));
    }

    /**
     * Every quoted name of the expected message (field, profile, URL) and the file appear in the message as often as
     * in the expected text, once: a message that repeats what it names ("'colour': unknown field 'colour'") fails.
     */
    static void namedOnce(String message, String expected) {
        assertThat(count(message, "profiles.json")).as("the file named once in: " + message).isEqualTo(1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("'[^']+'").matcher(expected);
        while (m.find()) {
            assertThat(count(message, m.group())).as(m.group() + " named as often as in the expected text, in: " + message)
                    .isEqualTo(count(expected, m.group()));
        }
    }

    private static int count(String s, String part) {
        return s.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @org.junit.jupiter.api.Test
    void namedOnceCatchesARepeat() {
        namedOnce("/x/profiles.json:3: unknown field 'colour' in profile 1", "profiles.json:3: unknown field 'colour' in profile 1");
        assertThatThrownBy(() -> namedOnce("/x/profiles.json:3: unknown field 'colour' in profile 1 ('colour')", "profiles.json:3: unknown field 'colour' in profile 1"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> namedOnce("/x/profiles.json: profile 'plant' is there twice (profiles.json)", "profiles.json: profile 'plant' is there twice"))
                .isInstanceOf(AssertionError.class);
    }

    @org.junit.jupiter.api.Test
    void notUtf8(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("profiles.json"), "[{\"name\":\"Stra\u00dfe\"}]".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new ProfileStore(dir).list()).hasMessage(dir.resolve("profiles.json") + ": not a UTF-8 text file");
    }

    @org.junit.jupiter.api.Test
    void savingAProfileItCouldNotReadBackIsRefused(@TempDir Path dir) {
        ProfileStore store = new ProfileStore(dir);
        assertThatThrownBy(() -> store.save(new Profile("plant", new Profile.Source("prom:9090", "", ""), java.util.List.of(), null)))
                .hasMessage(dir.resolve("profiles.json") + ": profile 'plant': prometheus URL 'prom:9090' must start with http:// or https://");
        assertThat(Files.exists(dir.resolve("profiles.json"))).as("nothing written").isFalse();
        store.save(new Profile("plant", new Profile.Source("http://prom:9090", "", ""), java.util.List.of(), null));
        assertThat(store.list()).hasSize(1);
    }

    @org.junit.jupiter.api.Test
    void aGoodFileStillReads(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("profiles.json"), "\uFEFF[{\"name\":\"plant\",\"prometheus\":" + GOOD_SOURCE + ",\"alertmanagers\":[],\"elasticsearch\":null}]");
        assertThat(new ProfileStore(dir).get("plant").orElseThrow().prometheus().url()).isEqualTo("http://prom:9090");
        // a file from before traces (no "traces" field) reads as a profile without a trace source
        assertThat(new ProfileStore(dir).get("plant").orElseThrow().tracesIfSet()).isEmpty();
    }
}
