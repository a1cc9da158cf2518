using System.Net;
using System.Text.Json;
using Bridge.MediaWorker.Development;
using Bridge.Security;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The call event feed for the local softphone: <c>GET /development/calls/{callSid}/events</c>, server-sent events
/// of what the caller and the assistant said. Only in Development with <c>Development:CallEvents=true</c>; even then
/// only to a loopback client that signs the URL with the Twilio auth token (as Twilio signs a GET).
/// </summary>
internal static class CallEventFeedExtensions
{
    public const string Route = "/development/calls/{callSid}/events";

    public static void AddCallEventFeed(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<CallEventFeedOptions>(builder.Configuration, CallEventFeedOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<CallEventFeedOptions>, CallEventFeedOptionsValidator>();
        if (!builder.Environment.IsDevelopment() || !builder.Configuration.GetValue<bool>("Development:CallEvents"))
        {
            return;
        }
        builder.Services.AddSingleton<CallEventFeed>();
        builder.Services.AddSingleton<ILoggerProvider, CallEventLoggerProvider>();
        // The feed hears the turns whatever level the rest of the logging is set to.
        builder.Logging.AddFilter<CallEventLoggerProvider>(null, LogLevel.Information);
    }

    public static void MapCallEventFeed(this WebApplication app)
    {
        if (app.Services.GetService<CallEventFeed>() is not null)
        {
            app.MapGet(Route, StreamAsync);
        }
    }

    private static async Task StreamAsync(string callSid, HttpContext context, CallEventFeed feed, IOptions<TwilioOptions> twilio)
    {
        var request = context.Request;
        if (context.Connection.RemoteIpAddress is not { } client || !IPAddress.IsLoopback(client))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        var signature = new TwilioSignatureValidator(twilio.Value.AuthToken)
            .ValidateForm(request.GetEncodedUrl(), [], request.Headers[TwilioSignatureValidator.HeaderName]);
        if (!signature.IsValid)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        using var watch = feed.Watch(callSid);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.FlushAsync(context.RequestAborted); // the watcher knows it is watching
        try
        {
            await foreach (var callEvent in watch.Events.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.Body.WriteAsync(Frame(callEvent), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The watcher left.
        }
    }

    /// <summary>One server-sent event: <c>data: {"kind":…,"text":…,"interrupted":…}</c> and a blank line.</summary>
    private static byte[] Frame(CallEvent callEvent)
    {
        using var buffer = new MemoryStream();
        buffer.Write("data: "u8);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", callEvent.Kind);
            json.WriteString("text", callEvent.Text);
            json.WriteBoolean("interrupted", callEvent.Interrupted);
            json.WriteEndObject();
        }
        buffer.Write("\n\n"u8);
        return buffer.ToArray();
    }
}
