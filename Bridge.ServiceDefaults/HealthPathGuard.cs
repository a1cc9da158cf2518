using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Health endpoints answer only at their own path as sent. Kestrel decodes and normalises a request's path, so
/// <c>/media/%2e%2e/health/readiness</c> would otherwise reach readiness through a public prefix the load balancer
/// forwards; such a request gets 404, whatever the load balancer's rules say.
/// </summary>
internal static class HealthPathGuard
{
    public static WebApplication UseHealthPathsAsSent(this WebApplication app, Func<PathString, bool> isHealthPath)
    {
        app.Use((context, next) =>
        {
            if (isHealthPath(context.Request.Path) && !SentAsIs(context))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return next(context);
        });
        return app;
    }

    /// <summary>Whether the request line's path is the path the server routes by (no dot segments, no encoded characters).</summary>
    private static bool SentAsIs(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? raw : raw[..query];
        return string.Equals(path, (context.Request.PathBase + context.Request.Path).Value, StringComparison.Ordinal);
    }
}
