package io.andon.console;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Garbage on the command line is refused at start, naming the option and the problem; a password is never echoed. */
class BadCliConfigTest {
    static Stream<Arguments> args() {
        return Stream.of(
                arguments(new String[]{"--datasource", "nourl"}, "--datasource wants NAME=URL[,staleness=45s], not 'nourl'"),
                arguments(new String[]{"--datasource", "=http://vm:8428"}, "--datasource wants NAME=URL"),
                arguments(new String[]{"--datasource", "plant 2=http://vm:8428"}, "--datasource: name 'plant 2' may hold only letters"),
                arguments(new String[]{"--datasource", "vm="}, "--datasource vm needs a URL"),
                arguments(new String[]{"--datasource", "vm=not a url"}, "--datasource vm: 'not a url' is not a URL (Illegal character in path)"),
                arguments(new String[]{"--datasource", "vm=ftp://vm:8428"}, "--datasource vm: 'ftp://vm:8428' must start with http:// or https://"),
                arguments(new String[]{"--datasource", "vm=vm:8428"}, "--datasource vm: 'vm:8428' must start with http:// or https://"),
                arguments(new String[]{"--datasource", "vm=http:///api"}, "--datasource vm: 'http:///api' has no host"),
                arguments(new String[]{"--datasource", "vm=http://ops:hunter2@vm:8428"}, "--datasource vm: the URL must not carry credentials"),
                arguments(new String[]{"--datasource", "vm=http://vm:8428,staleness=forever"}, "--datasource vm: not a duration: 'forever'"),
                arguments(new String[]{"--datasource", "vm=http://vm:8428,colour=red"}, "--datasource vm: unknown option 'colour=red'"),
                arguments(new String[]{"--datasource", "vm=http://a:8428", "--datasource", "vm=http://b:8428"}, "--datasource vm is given twice"),
                arguments(new String[]{"--prometheus", "localhost:9090"}, "--prometheus: 'localhost:9090' must start with http:// or https://"),
                arguments(new String[]{"--prometheus", "http://p:9090", "--alertmanager", "http://a m:9093"}, "--alertmanager: 'http://a m:9093' is not a URL"),
                arguments(new String[]{"--prometheus", "http://p:9090", "--elasticsearch", "https://elastic:hunter2@es:9200"},
                        "--elasticsearch: the URL must not carry credentials"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("args")
    void garbageIsExplained(String[] args, String expected) {
        assertThatThrownBy(() -> ConsoleContext.fromCli(Cli.parse(args))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(expected).hasMessageNotContaining("hunter2");
    }
}
