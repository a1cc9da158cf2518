using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>With no traces sampled, the real worker still exports the span of a call that fails.</summary>
public sealed class FailedCallTraceTests
{
    private readonly List<Activity> _exported = [];

    [Fact]
    public async Task A_call_refused_for_a_forged_stream_token_is_exported_with_its_error()
    {
        await using var worker = await InProcessMediaWorker.StartAsync(
            settings: new Dictionary<string, string?> { ["Telemetry:TraceSampleRatio"] = "0" },
            services: services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_exported)));
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var socket = worker.Streams.NewSocket();
        await socket.ConnectAsync(worker.MediaUrl, timeout.Token);
        await SendAsync(socket, """{"event":"connected","protocol":"Call","version":"1.0.0"}""", timeout.Token);
        await SendAsync(socket, StartFrame(callSid, token: "v1.4102444800.forged"), timeout.Token);
        var buffer = new byte[1024];
        while ((await socket.ReceiveAsync(buffer, timeout.Token)).MessageType != WebSocketMessageType.Close)
        {
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        var call = await ExportedCallSpanAsync(worker.Services, callSid, timeout.Token);
        Assert.Equal(ActivityStatusCode.Error, call.Status);
        Assert.Equal("stream token BadSignature", call.StatusDescription);
    }

    /// <summary>The call span ends as the handler returns, just after the socket closes: wait for it.</summary>
    private async Task<Activity> ExportedCallSpanAsync(IServiceProvider services, string callSid, CancellationToken cancellationToken)
    {
        var tracer = services.GetRequiredService<TracerProvider>();
        while (true)
        {
            tracer.ForceFlush();
            lock (_exported)
            {
                if (_exported.FirstOrDefault(a => a.OperationName == CallHost.CallSpanName && (string?)a.GetTagItem("twilio.call_sid") == callSid) is { } call)
                {
                    return call;
                }
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    private static Task SendAsync(ClientWebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private static string StartFrame(string callSid, string token) => new JsonObject
    {
        ["event"] = "start",
        ["sequenceNumber"] = "1",
        ["streamSid"] = "MZ0123456789abcdef0123456789abcdef",
        ["start"] = new JsonObject
        {
            ["accountSid"] = "AC0123456789abcdef0123456789abcdef",
            ["streamSid"] = "MZ0123456789abcdef0123456789abcdef",
            ["callSid"] = callSid,
            ["tracks"] = new JsonArray("inbound"),
            ["customParameters"] = new JsonObject { ["callSid"] = callSid, ["token"] = token },
            ["mediaFormat"] = new JsonObject { ["encoding"] = "audio/x-mulaw", ["sampleRate"] = 8000, ["channels"] = 1 },
        },
    }.ToJsonString();
}
