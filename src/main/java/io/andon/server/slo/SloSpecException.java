package io.andon.server.slo;

import java.util.List;
import java.util.stream.Collectors;

/** The spec has errors: every one of them, located, so a site fixes them in one go. */
public final class SloSpecException extends Exception {
    private final List<Diagnostic> diagnostics;

    public SloSpecException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() { return diagnostics; }
}
