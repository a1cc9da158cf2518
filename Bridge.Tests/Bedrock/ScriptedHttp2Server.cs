using System.Net;
using System.Text;
using Amazon.Runtime.EventStreams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Bedrock;

/// <summary>A Kestrel server speaking HTTP/2 cleartext only (prior knowledge), answering with a test's handler.</summary>
internal sealed class ScriptedHttp2Server : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedHttp2Server(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<ScriptedHttp2Server> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // A caller may be silent for minutes; Bedrock does not cut slow request bodies, nor may this server.
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ScriptedHttp2Server(app, new Uri(address));
    }

    /// <summary>An output chunk frame as Bedrock sends it: <c>{"bytes":"base64(json)"}</c> under the chunk headers.</summary>
    public static byte[] ChunkFrame(string eventJson) => new EventStreamMessage(
    [
        StringHeader(":event-type", "chunk"),
        StringHeader(":content-type", "application/json"),
        StringHeader(":message-type", "event"),
    ], Encoding.UTF8.GetBytes($$"""{"bytes":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(eventJson))}}"}""")).ToByteArray();

    public static byte[] ExceptionFrame(string exceptionType, string message) => new EventStreamMessage(
    [
        StringHeader(":exception-type", exceptionType),
        StringHeader(":content-type", "application/json"),
        StringHeader(":message-type", "exception"),
    ], Encoding.UTF8.GetBytes($$"""{"message":"{{message}}"}""")).ToByteArray();

    /// <summary>Reads whole event-stream messages from a request body as they arrive.</summary>
    public static async IAsyncEnumerable<EventStreamMessage> ReadMessagesAsync(Stream body)
    {
        var prelude = new byte[4];
        while (await ReadExactlyOrEndAsync(body, prelude))
        {
            var total = (prelude[0] << 24) | (prelude[1] << 16) | (prelude[2] << 8) | prelude[3];
            var message = new byte[total];
            prelude.CopyTo(message, 0);
            await body.ReadExactlyAsync(message.AsMemory(4));
            yield return EventStreamMessage.FromBuffer(message, 0, total);
        }
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream body, byte[] buffer)
    {
        var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false);
        return read == buffer.Length;
    }

    private static EventStreamHeader StringHeader(string name, string value)
    {
        var header = new EventStreamHeader(name);
        header.SetString(value);
        return header;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
