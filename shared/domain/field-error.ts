/** One invalid field of a request: its dotted path (`ratings.0.level`) and what is wrong with it. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}
