package io.andon.stack;

/** A service of the stack failed to start or misbehaved; the message names it and carries its log tail. */
public class StackException extends RuntimeException {
    public StackException(String message) { super(message); }
    public StackException(String message, Throwable cause) { super(message, cause); }
}
