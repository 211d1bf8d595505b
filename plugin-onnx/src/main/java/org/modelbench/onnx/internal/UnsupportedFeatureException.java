package org.modelbench.onnx.internal;

import org.modelbench.api.InvalidInputException;

/**
 * A model uses an operator, attribute value or data type that the native import does not support
 * (as opposed to a malformed model). A user error (exit 2); conformance runs count such tests as
 * unsupported rather than failed.
 */
public class UnsupportedFeatureException extends InvalidInputException {
    public UnsupportedFeatureException(String message) {
        super(message);
    }
}
