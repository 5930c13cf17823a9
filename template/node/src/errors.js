// Every error answer is `{ "detail": ... }`: a message, or one entry per invalid field.
class HttpError extends Error {
  constructor(status, message, headers = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

function validationDetail(error, where) {
  return error.issues.map((issue) => ({ loc: [where, ...issue.path.map((part) => (typeof part === "number" ? part : String(part)))], msg: issue.message }));
}

class ValidationError extends HttpError {
  constructor(detail) {
    super(422, "Validation failed");
    this.detail = detail;
  }
}

const notFound = (req, _res, next) => {
  next(new HttpError(404, `Not found: ${req.method} ${req.path}`));
};

const errorHandler = (error, _req, res, _next) => {
  if (error instanceof ValidationError) {
    res.status(422).json({ detail: error.detail });
    return;
  }
  if (error instanceof HttpError) {
    res.set(error.headers).status(error.status).json({ detail: error.message });
    return;
  }
  if (error instanceof SyntaxError && "body" in error) {
    res.status(400).json({ detail: "The request body is not valid JSON" });
    return;
  }
  console.error(error);
  res.status(500).json({ detail: "Internal Server Error" });
};

module.exports = { HttpError, validationDetail, ValidationError, notFound, errorHandler };
