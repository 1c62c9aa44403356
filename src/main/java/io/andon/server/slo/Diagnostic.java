package io.andon.server.slo;

/** A problem found in an SLO spec, located in its file: {@code slo-definitions.yaml:14: target must be …}. */
public record Diagnostic(Severity severity, String file, int line, String message) {
    public enum Severity { ERROR, WARNING }

    static Diagnostic error(String file, int line, String message) { return new Diagnostic(Severity.ERROR, file, line, message); }

    static Diagnostic warning(String file, int line, String message) { return new Diagnostic(Severity.WARNING, file, line, message); }

    public boolean isError() { return severity == Severity.ERROR; }

    @Override
    public String toString() {
        return file + ":" + line + ": " + (severity == Severity.WARNING ? "warning: " : "") + message;
    }
}
