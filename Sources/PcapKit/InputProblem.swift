/// Why an input cannot be read, in words for the user: the part of the message after
/// the input's name (`CaptureError.cannotOpen` adds the name).
struct InputProblem: Error {
    var reason: String
}
