package org.modelbench.api;

/**
 * A user mistake: a bad file, manifest field, model parameter or command-line argument. The
 * command line prints the message on one line, without a stack trace, and exits with code 2.
 */
public class InvalidInputException extends ModelbenchException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
