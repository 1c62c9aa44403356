package io.andon.console;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into options and values, {@code --opt=value} and {@code --opt value} alike: the one
 * splitter of the console's and the report's command lines, so both say the same about the same mistake.
 * Usage: {@code while (args.more()) switch (args.next()) { case "--x" -> x = args.value(); ... default -> throw args.unknown(); }}
 */
final class Args {
    private final List<String> in;
    private final String help;
    private String option;
    private String inline;

    /** @param help where the messages send the reader, e.g. "see --help" */
    Args(String[] args, String help) {
        this.in = new ArrayList<>(List.of(args));
        this.help = help;
    }

    boolean more() { return !in.isEmpty(); }

    /** The next option's name ({@code --opt} of {@code --opt=value}), or a stray argument as it was given. */
    String next() {
        String a = in.removeFirst();
        int eq = a.indexOf('=');
        if (a.startsWith("--") && eq > 0) {
            option = a.substring(0, eq);
            inline = a.substring(eq + 1); // "--opt=" is an empty value, said so by the option's own check
        } else {
            option = a;
            inline = null;
        }
        return option;
    }

    /** The current option's value: after its '=', else the next argument unless that is an option itself. */
    String value() {
        if (inline != null) return inline;
        if (in.isEmpty() || in.getFirst().startsWith("--")) {
            throw new IllegalArgumentException("option " + option + " needs a value (" + help + ")");
        }
        return in.removeFirst();
    }

    /**
     * The current option as arguments for another parser: the option, and its value if it has one (after '=', or
     * a next argument that is not an option). The report hands the source options on to the console's parser.
     */
    List<String> passOn() {
        List<String> out = new ArrayList<>(List.of(option));
        if (inline != null) out.add(inline);
        else if (!in.isEmpty() && !in.getFirst().startsWith("--")) out.add(in.removeFirst());
        return out;
    }

    /** The error for the current argument when no option of that name exists. */
    IllegalArgumentException unknown() {
        return new IllegalArgumentException(option.startsWith("-") ? "unknown option '" + option + "' (" + help + ")"
                : "unexpected argument '" + option + "': options start with -- (" + help + ")");
    }
}
