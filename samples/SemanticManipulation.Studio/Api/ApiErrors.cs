using System.Text.Json;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Imaging;

namespace SemanticManipulation.Studio.Api;

/// <summary>
/// Turns what a request failed with into the status and the one-line <c>{ "error": … }</c> the page shows: the
/// studio's own refusals, images the decoder refuses, arguments the SDK refuses (an unknown concept, a bad mask), and a
/// body that is not JSON or too large. Anything else is the studio's fault: logged, and answered with a 500 that says so.
/// </summary>
internal static class ApiErrors
{
    /// <summary>The status and message for <paramref name="error"/>.</summary>
    public static (int Status, string Message) Describe(Exception error, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(error);
        switch (error)
        {
            case StudioException studio:
                return (studio.StatusCode, studio.Message);
            case UnsupportedImageException image:
                return (StatusCodes.Status400BadRequest, $"{image.Message.Replace("'stream' ", string.Empty, StringComparison.Ordinal)} Send a JPEG, PNG, WebP, GIF or BMP image.");
            case BadHttpRequestException bad:
                return (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? "The request is too large; send a smaller image." : $"Bad request: {bad.Message}");
            case JsonException json:
                return (StatusCodes.Status400BadRequest, $"The request body is not the JSON expected: {json.Message}");
            case CheckpointFormatException checkpoint:
                logger.LogError(checkpoint, "Model file error");
                return (StatusCodes.Status500InternalServerError, $"The model could not be used: {checkpoint.Message}");
            case ArgumentException argument:
                // The SDK's refusals (unknown concept, a mask or strength out of range) carry a message for the user; the
                // parameter name TorchSharp and the BCL append is not for the page.
                return (StatusCodes.Status400BadRequest, argument.ParamName is null
                    ? argument.Message
                    : argument.Message.Replace($" (Parameter '{argument.ParamName}')", string.Empty, StringComparison.Ordinal));
            case OperationCanceledException:
                return (StatusCodes.Status409Conflict, "The job was cancelled.");
            case ObjectDisposedException:
                return (StatusCodes.Status503ServiceUnavailable, "The studio is shutting down.");
            default:
                logger.LogError(error, "Request failed");
                return (StatusCodes.Status500InternalServerError, $"The studio failed ({error.GetType().Name}); see its log. It keeps serving.");
        }
    }

    /// <summary>Writes <c>{ "error": message }</c> with <paramref name="status"/>.</summary>
    public static Task Write(HttpContext context, int status, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Clear();
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiError(message));
    }

    /// <summary>Middleware: any request that fails before its response started gets its error as JSON.</summary>
    public static async Task Handle(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("SemanticManipulation.Studio.Api");
            var (status, message) = Describe(ex, logger);
            await Write(context, status, message);
        }
    }
}
