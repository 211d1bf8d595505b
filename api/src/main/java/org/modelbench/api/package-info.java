/**
 * Values and contracts shared by every modelbench module.
 *
 * <p>Tensors are dense float32 arrays in row-major order. Image batches are laid out NCHW
 * ({@code [batch, channels, height, width]}); a per-sample shape never includes the batch
 * dimension. Unless a method says otherwise, arguments and return values are never {@code null}.
 *
 * <p>Errors are unchecked and form one small hierarchy rooted at {@link ModelbenchException};
 * {@link InvalidInputException} marks a user mistake (a bad file, field or parameter) that the
 * command line reports in one line with exit code 2.
 */
package org.modelbench.api;
