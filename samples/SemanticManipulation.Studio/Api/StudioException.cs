namespace SemanticManipulation.Studio.Api;

/// <summary>
/// A request the studio refuses: the HTTP status to answer with and one line saying what is wrong and how to fix it,
/// sent to the page as <c>{ "error": message }</c>.
/// </summary>
internal sealed class StudioException : Exception
{
    public StudioException(int statusCode, string message)
        : base(message) => StatusCode = statusCode;

    public StudioException()
        : this(StatusCodes.Status400BadRequest, "Bad request.")
    {
    }

    public StudioException(string message)
        : this(StatusCodes.Status400BadRequest, message)
    {
    }

    public StudioException(string message, Exception innerException)
        : base(message, innerException) => StatusCode = StatusCodes.Status400BadRequest;

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    public static StudioException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    public static StudioException NotFound(string message) => new(StatusCodes.Status404NotFound, message);

    public static StudioException Conflict(string message) => new(StatusCodes.Status409Conflict, message);
}
