using System.Buffers.Binary;
using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Support;

/// <summary>
/// An OTLP/gRPC receiver on a real HTTP/2 port, standing in for the dashboard's: it keeps the spans exported to it
/// (decoded from OpenTelemetry's trace protocol with the protobuf runtime's reader) and accepts logs and metrics.
/// Point an AppHost's resources at it with <c>ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL</c>.
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    public const string TraceExportPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    /// <summary>One exported span: its service (<c>service.name</c>), ids in hex, name and string attributes.</summary>
    public sealed record Span(string Service, string TraceId, string SpanId, string? ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Span> _spans = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly ConcurrentQueue<string> _requests = new();

    private OtlpTraceReceiver(WebApplication app) => _app = app;

    public Uri Endpoint => new(_app.Urls.First());

    public IReadOnlyCollection<Span> Spans => _spans;

    public static async Task<OtlpTraceReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpTraceReceiver(app);
        app.MapPost("/{**method}", receiver.ExportAsync);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The first span (received so far or later) that matches, or a timeout naming what did arrive.</summary>
    public async Task<Span> WaitForSpanAsync(Func<Span, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_spans.FirstOrDefault(match) is { } span)
            {
                return span;
            }
            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                var seen = string.Join("\n", _spans.TakeLast(30).Select(s => $"{s.Service} {s.Name} trace {s.TraceId} parent {s.ParentSpanId ?? "-"}"));
                var requests = string.Join("\n", _requests.TakeLast(20));
                throw new TimeoutException($"No matching span within {timeout}; the last of {_spans.Count} received:\n{seen}\n" +
                    $"the last of {_requests.Count} requests:\n{requests}");
            }
        }
    }

    /// <summary>A unary gRPC call: a 5-byte prefix (compressed flag, length) and the message; answered with an empty message and grpc-status 0.</summary>
    private async Task ExportAsync(HttpContext context, string method)
    {
        // What came and when, for the timeout's message: whether the exports stopped coming or came without the
        // spans waited for. It showed a call whose spans never came while every resource kept exporting (CI,
        // 2026-12-07): the call's trace had gone out unsampled (CallTracing).
        var started = DateTime.UtcNow;
        try
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var bytes = body.ToArray();
            var read = 0;
            if ("/" + method == TraceExportPath && bytes.Length >= 5 && bytes[0] == 0)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4));
                foreach (var span in TraceRequest.Read(ByteString.CopyFrom(bytes, 5, length)))
                {
                    _spans.Enqueue(span);
                    read++;
                }
                _arrived.Release();
            }
            _requests.Enqueue($"{started:HH:mm:ss.fff} {method}: {bytes.Length} bytes, {read} spans");
        }
        catch (Exception exception)
        {
            _requests.Enqueue($"{started:HH:mm:ss.fff} {method}: failed, {exception.GetType().Name}: {exception.Message}");
            throw;
        }

        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(new byte[5]);
        context.Response.AppendTrailer("grpc-status", "0");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _arrived.Dispose();
    }

    /// <summary>
    /// The few fields of opentelemetry/proto/collector/trace/v1 and trace/v1 that identify a span: ExportTraceServiceRequest
    /// (1 resource_spans), ResourceSpans (1 resource, 2 scope_spans), Resource (1 attributes), ScopeSpans (2 spans), Span
    /// (1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 9 attributes), KeyValue (1 key, 2 value), AnyValue (1 string_value).
    /// </summary>
    private static class TraceRequest
    {
        public static List<Span> Read(ByteString request)
        {
            var spans = new List<Span>();
            foreach (var resourceSpans in Fields(request, 1))
            {
                var service = "";
                var scopes = new List<ByteString>();
                foreach (var (number, value) in AllFields(resourceSpans))
                {
                    if (number == 1)
                    {
                        service = Attributes(Fields(value, 1)).GetValueOrDefault("service.name", "");
                    }
                    else if (number == 2)
                    {
                        scopes.Add(value);
                    }
                }
                spans.AddRange(scopes.SelectMany(scope => Fields(scope, 2)).Select(span => ReadSpan(service, span)));
            }
            return spans;
        }

        private static Span ReadSpan(string service, ByteString span)
        {
            string traceId = "", spanId = "", name = "";
            string? parent = null;
            var attributes = new List<ByteString>();
            foreach (var (number, value) in AllFields(span))
            {
                switch (number)
                {
                    case 1: traceId = Convert.ToHexStringLower(value.Span); break;
                    case 2: spanId = Convert.ToHexStringLower(value.Span); break;
                    case 4: parent = value.Length == 0 ? null : Convert.ToHexStringLower(value.Span); break;
                    case 5: name = value.ToStringUtf8(); break;
                    case 9: attributes.Add(value); break;
                }
            }
            return new Span(service, traceId, spanId, parent, name, Attributes(attributes));
        }

        private static Dictionary<string, string> Attributes(IEnumerable<ByteString> keyValues)
        {
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var keyValue in keyValues)
            {
                var key = Fields(keyValue, 1).FirstOrDefault()?.ToStringUtf8();
                var text = Fields(keyValue, 2).SelectMany(value => Fields(value, 1)).FirstOrDefault()?.ToStringUtf8();
                if (key is not null && text is not null)
                {
                    attributes[key] = text;
                }
            }
            return attributes;
        }

        private static IEnumerable<ByteString> Fields(ByteString message, int number) =>
            AllFields(message).Where(field => field.Number == number).Select(field => field.Value);

        /// <summary>The length-delimited fields of a message; other wire types are skipped.</summary>
        private static List<(int Number, ByteString Value)> AllFields(ByteString message)
        {
            var fields = new List<(int, ByteString)>();
            var input = new CodedInputStream(message.ToByteArray());
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                {
                    fields.Add((WireFormat.GetTagFieldNumber(tag), input.ReadBytes()));
                }
                else
                {
                    input.SkipLastField();
                }
            }
            return fields;
        }
    }
}
