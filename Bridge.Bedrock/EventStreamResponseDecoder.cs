using System.Text.Json;
using Amazon.Runtime.EventStreams;
using Amazon.Runtime.EventStreams.Internal;

namespace Bridge.Bedrock;

/// <summary>
/// Decodes response bytes as they arrive, in pieces of any size, with AWSSDK.Core's incremental decoder (which
/// checks both CRCs). Chunk events go to the callback; an exception or error message is thrown from
/// <see cref="Process"/> as a typed <see cref="BedrockStreamException"/>.
/// </summary>
public sealed class EventStreamResponseDecoder : IDisposable
{
    private readonly EventStreamDecoder _decoder = new();
    private readonly Action<BedrockChunk> _onChunk;
    private BedrockStreamException? _failure;

    public EventStreamResponseDecoder(Action<BedrockChunk> onChunk)
    {
        _onChunk = onChunk;
        _decoder.MessageReceived += OnMessage;
    }

    /// <summary>
    /// Feeds the first <paramref name="count"/> bytes of <paramref name="buffer"/>, which may be reused afterwards.
    /// Always from offset 0: AWSSDK.Core 4.1.0's decoder loses messages that span calls made with a non-zero offset.
    /// </summary>
    public void Process(byte[] buffer, int count)
    {
        _decoder.ProcessData(buffer, 0, count);
        if (_failure is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Reads one decoded message: a chunk, nothing (other event types), or a typed error.</summary>
    public static BedrockChunk? Interpret(EventStreamMessage message)
    {
        var messageType = HeaderString(message, ":message-type");
        switch (messageType)
        {
            case "event":
                return HeaderString(message, ":event-type") == "chunk" ? new BedrockChunk(ReadBytesMember(message.Payload)) : null;
            case "exception":
                throw BedrockErrorClassifier.FromErrorType(HeaderString(message, ":exception-type"), ReadMessageMember(message.Payload));
            case "error":
                throw BedrockErrorClassifier.FromErrorType(HeaderString(message, ":error-code"), HeaderString(message, ":error-message"));
            default:
                return null;
        }
    }

    private void OnMessage(object? sender, EventStreamMessageReceivedEventArgs e)
    {
        if (_failure is not null)
        {
            return;
        }
        try
        {
            if (Interpret(e.Message) is { } chunk)
            {
                _onChunk(chunk);
            }
        }
        catch (BedrockStreamException failure)
        {
            _failure = failure;
        }
    }

    private static string? HeaderString(EventStreamMessage message, string name) =>
        message.Headers.TryGetValue(name, out var header) && header.HeaderType == EventStreamHeaderType.String ? header.AsString() : null;

    /// <summary>The payload part <c>{"bytes":"base64"}</c>, decoded.</summary>
    private static byte[] ReadBytesMember(byte[] payload)
    {
        var reader = new Utf8JsonReader(payload);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("bytes"u8))
            {
                reader.Read();
                return reader.GetBytesFromBase64();
            }
        }
        return [];
    }

    private static string? ReadMessageMember(byte[] payload)
    {
        if (payload.Length == 0)
        {
            return null;
        }
        try
        {
            var reader = new Utf8JsonReader(payload);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 &&
                    (reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("Message"u8)))
                {
                    reader.Read();
                    return reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            return System.Text.Encoding.UTF8.GetString(payload);
        }
        return null;
    }

    public void Dispose()
    {
        _decoder.MessageReceived -= OnMessage;
        _decoder.Dispose();
    }
}
