using Microsoft.Extensions.Options;

namespace SemanticManipulation.Studio.Api;

/// <summary>
/// Keeps other web pages out of the studio, which has no authentication: any page a user visits can make the browser
/// send it requests. A changing request (POST, DELETE) from another origin is refused (403), so no page can open photos,
/// render or end sessions in the user's studio; and while the studio listens on loopback only, a request addressed to any
/// host but this machine's loopback names is refused too (421), which stops DNS rebinding (a page whose own name is made
/// to point at 127.0.0.1, so that it counts as same-origin).
/// </summary>
internal static class RequestOriginGuard
{
    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>The middleware: refuses as above, else passes the request on.</summary>
    public static Task Handle(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.Request;
        var host = request.Host.Host;
        var loopbackOnly = !context.RequestServices.GetRequiredService<IOptions<StudioOptions>>().Value.ListenOnAllInterfaces;
        if (loopbackOnly && !LoopbackHosts.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            var port = request.Host.Port ?? context.Connection.LocalPort;
            throw new StudioException(StatusCodes.Status421MisdirectedRequest,
                $"This studio answers requests addressed to localhost, 127.0.0.1 or [::1] only, not to '{host}'; open http://127.0.0.1:{port}/.");
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
            && request.Headers.Origin is [{ } origin] && !SameOrigin(origin, request))
        {
            throw new StudioException(StatusCodes.Status403Forbidden,
                $"Requests from other web pages ({origin}) are refused: only the studio's own page may change its sessions.");
        }

        return next(context);
    }

    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
