package io.andon.journal;

/** The journal's store could not be read (down, refused, unreadable answer); the message says which. */
public class JournalException extends Exception {
    public JournalException(String message) { super(message); }
    public JournalException(String message, Throwable cause) { super(message, cause); }
}
