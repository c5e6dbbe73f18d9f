/**
 * A botocore `pattern` constraint as the service applies it: the whole value must match (Java's
 * `matches()`), `\p{L}`-style classes work, and `source` is the model's text unchanged, so a
 * ValidationException quotes it the way AWS does. It is a RegExp, so InputValidator takes it as is.
 * `jsSource` is for the rare model pattern JavaScript's `u` mode cannot read (`\_` is not a valid
 * escape there).
 */
export class ModelPattern extends RegExp {
  constructor(modelSource: string, jsSource: string = modelSource) {
    super(`^(?:${jsSource})$`, 'u');
    Object.defineProperty(this, 'source', { value: modelSource, enumerable: false });
  }
}

export const modelPattern = (modelSource: string, jsSource?: string): ModelPattern => new ModelPattern(modelSource, jsSource);
