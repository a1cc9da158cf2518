using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace Bridge.TwilioStandIn.Twilio;

/// <summary>
/// One address for Twilio's REST API on this machine (where a local AppHost points the worker), shared by every
/// stand-in that runs: the first to start serves it; one that starts later serves its own calls on a free port and
/// registers each of them with the first (<c>PUT /stand-in/calls/{callSid}?address=…</c>, <c>DELETE</c> when it
/// ends), which forwards those calls' requests there untouched — so the softphone and <c>bridge-call call</c> can run
/// together and the worker's hang-ups reach whichever placed the call. Registrations are taken from loopback only
/// and point to loopback only; the stand-in that owns the call still checks the request's credentials.
/// </summary>
public static class SharedRestApi
{
    public const string RegistrationPrefix = "/stand-in/calls/";

    private static readonly HttpClient Forwarder = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>Registers a call another stand-in serves; <c>DELETE</c> forgets it.</summary>
    internal static async Task RegisterAsync(HttpContext context, string callSid, LiveCalls calls)
    {
        if (context.Connection.RemoteIpAddress is not { } client || !IPAddress.IsLoopback(client))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        if (HttpMethods.IsDelete(context.Request.Method))
        {
            calls.StopForwarding(callSid);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        if (!Uri.TryCreate(context.Request.Query["address"], UriKind.Absolute, out var owner) || owner.Scheme != "http" || !owner.IsLoopback)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("address must be an http:// loopback address");
            return;
        }
        calls.Forward(callSid, owner);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Sends a request for a call another stand-in serves to that stand-in, and its answer back.</summary>
    internal static async Task ForwardAsync(HttpContext context, Uri owner)
    {
        var request = context.Request;
        using var forwarded = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(owner, request.Path + request.QueryString));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            forwarded.Content = new StreamContent(request.Body);
            if (request.ContentType is { } contentType)
            {
                forwarded.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }
        if (request.Headers.Authorization.ToString() is { Length: > 0 } authorization)
        {
            forwarded.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        try
        {
            using var answer = await Forwarder.SendAsync(forwarded, context.RequestAborted);
            context.Response.StatusCode = (int)answer.StatusCode;
            if (answer.Content.Headers.ContentType is { } type)
            {
                context.Response.ContentType = type.ToString();
            }
            await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            // The stand-in that had the call is gone, and the call with it.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    /// <summary>Tells the stand-in serving <paramref name="shared"/> that <paramref name="own"/> serves this call; false if it cannot be told.</summary>
    internal static async Task<bool> AnnounceAsync(Uri shared, Uri own, string callSid, bool ending)
    {
        var url = new Uri(shared, RegistrationPrefix + Uri.EscapeDataString(callSid) + (ending ? "" : "?address=" + Uri.EscapeDataString(own.ToString())));
        try
        {
            using var response = await Forwarder.SendAsync(new HttpRequestMessage(ending ? HttpMethod.Delete : HttpMethod.Put, url));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
