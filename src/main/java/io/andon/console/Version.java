package io.andon.console;

/** The version baked into the jar manifest by Maven; "dev" when run from classes. */
public final class Version {
    private Version() {}

    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
