using System.Buffers;
using System.Text;
using Amazon.Runtime.EventStreams;
using BenchmarkDotNet.Attributes;
using Bridge.Audio;
using Bridge.Benchmarks.Audio;
using Bridge.Bedrock;
using Bridge.NovaSonic;
using Bridge.TwilioMedia;

namespace Bridge.Benchmarks.Calls;

/// <summary>
/// The per-event work of one call in both directions, with the worker's own types and no I/O, at its defaults (8 kHz
/// both ways, 40 ms model chunks). Inbound, per Twilio media frame (20 ms): JSON parse with the payload decoded,
/// µ-law to PCM, and every second frame a 40 ms <c>audioInput</c> event written, framed and signed. Outbound, per model
/// event (40 ms of 8 kHz speech, as the emulator's loopback returns it): the response frame decoded (CRCs, headers,
/// the <c>{"bytes"}</c> part), the event JSON interpreted to PCM, µ-law frames and two Twilio <c>media</c> frames
/// written. The steps are measured one by one too, so that an optimisation can be aimed and checked; the sum per
/// call-second is the floor of what a call costs (docs/benchmarks.md).
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class CallEventPathBenchmarks
{
    private const string StreamSid = "MZ00000000000000000000000000000001";
    private const int FramesPerChunk = 2;

    private byte[][] _twilioFrames = null!;
    private TwilioFrameParser _parser = null!;
    private readonly byte[] _payload = new byte[512];
    private InboundChunker _chunker = null!;
    private readonly short[] _chunk = new short[320];
    private AudioInputWriter _audioInput = null!;
    private SignedEventFramer _framer = null!;
    private DateTimeOffset _now;

    private byte[] _responseFrame = null!;
    private byte[] _responseEventJson = null!;
    private EventStreamResponseDecoder _decoder = null!;
    private NovaOutputInterpreter _interpreter = null!;
    private readonly List<NovaOutputEvent> _events = new(4);
    private BedrockChunk _lastChunk;
    private OutboundFramer _outbound = null!;
    private readonly byte[] _mulaw = new byte[320];
    private TwilioFrameWriter _twilioWriter = null!;
    private short[] _modelPcm = null!;

    [GlobalSetup]
    public void Setup()
    {
        _parser = new TwilioFrameParser();
        var start = Encoding.UTF8.GetBytes(
            "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"accountSid\":\"AC00000000000000000000000000000001\"," +
            $"\"streamSid\":\"{StreamSid}\",\"callSid\":\"CA00000000000000000000000000000001\",\"tracks\":[\"inbound\"]," +
            "\"customParameters\":{\"callSid\":\"CA00000000000000000000000000000001\",\"token\":\"t\"}," +
            $"\"mediaFormat\":{{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}},\"streamSid\":\"{StreamSid}\"}}");
        if (_parser.Parse(start, _payload, out _) != TwilioProtocolError.None)
        {
            throw new InvalidOperationException("The start frame was refused.");
        }
        var ulaw = AudioFrames.Ulaw(FramesPerChunk);
        _twilioFrames = [.. Enumerable.Range(0, FramesPerChunk).Select(i => Encoding.UTF8.GetBytes(
            $"{{\"event\":\"media\",\"sequenceNumber\":\"{i + 3}\",\"media\":{{\"track\":\"inbound\",\"chunk\":\"{i + 1}\"," +
            $"\"timestamp\":\"{20 * (i + 1)}\",\"payload\":\"{Convert.ToBase64String(ulaw, 160 * i, 160)}\"}},\"streamSid\":\"{StreamSid}\"}}"))];
        _chunker = new InboundChunker(8000, chunkMilliseconds: 40);
        _audioInput = new AudioInputWriter("prompt-" + Guid.NewGuid().ToString("N"), "audio-" + Guid.NewGuid().ToString("N"));
        _framer = new SignedEventFramer(new EventSignatureChain("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "bedrock", new string('a', 64)));
        _now = DateTimeOffset.UtcNow;

        // What the emulator's loopback returns for a 40 ms chunk at 8 kHz: the same fields as Nova Sonic's audioOutput.
        _modelPcm = AudioFrames.Pcm(8000, FramesPerChunk);
        var pcmBytes = new byte[_modelPcm.Length * 2];
        Buffer.BlockCopy(_modelPcm, 0, pcmBytes, 0, pcmBytes.Length);
        _responseEventJson = Encoding.UTF8.GetBytes(
            "{\"event\":{\"audioOutput\":{\"sessionId\":\"6b3f2c1e-0d4a-4b8e-9c1f-2a3b4c5d6e7f\",\"promptName\":\"prompt-0123456789abcdef0123456789abcdef\"," +
            "\"completionId\":\"1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\",\"contentId\":\"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a\"," +
            $"\"content\":\"{Convert.ToBase64String(pcmBytes)}\"}}}}}}");
        var payload = Encoding.UTF8.GetBytes($$"""{"bytes":"{{Convert.ToBase64String(_responseEventJson)}}"}""");
        _responseFrame = new EventStreamMessage(
        [
            StringHeader(":event-type", "chunk"),
            StringHeader(":content-type", "application/json"),
            StringHeader(":message-type", "event"),
        ], payload).ToByteArray();
        _interpreter = new NovaOutputInterpreter();
        _decoder = new EventStreamResponseDecoder(chunk => _lastChunk = chunk);
        _outbound = new OutboundFramer(8000);
        _twilioWriter = new TwilioFrameWriter(StreamSid);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _decoder.Dispose();
        _framer.Dispose();
    }

    /// <summary>Inbound, per 20 ms caller frame: the whole path from Twilio's JSON to a signed model event.</summary>
    [Benchmark(OperationsPerInvoke = FramesPerChunk)]
    public int Inbound_TwilioFrameToSignedEvent()
    {
        var written = 0;
        foreach (var json in _twilioFrames)
        {
            _parser.Parse(json, _payload, out var frame);
            var samples = _chunker.Write(_payload.AsSpan(0, frame.PayloadLength), _chunk);
            if (samples > 0)
            {
                written = FrameAudioEvent(_chunk.AsSpan(0, samples));
            }
        }
        return written;
    }

    /// <summary>Inbound step: Twilio's <c>media</c> JSON read, its base64 payload decoded (per frame).</summary>
    [Benchmark(OperationsPerInvoke = FramesPerChunk)]
    public int Inbound_ParseTwilioFrame()
    {
        var length = 0;
        foreach (var json in _twilioFrames)
        {
            _parser.Parse(json, _payload, out var frame);
            length += frame.PayloadLength;
        }
        return length;
    }

    /// <summary>Inbound step: a 40 ms chunk as <c>audioInput</c> JSON (base64 PCM), framed and signed (per model event).</summary>
    [Benchmark]
    public int Inbound_WriteAndSignAudioEvent() => FrameAudioEvent(_modelPcm);

    /// <summary>Outbound, per model event (40 ms): the response frame to two Twilio <c>media</c> frames.</summary>
    [Benchmark]
    public int Outbound_ModelFrameToTwilioFrames()
    {
        _decoder.Process(_responseFrame, _responseFrame.Length);
        _events.Clear();
        _interpreter.Interpret(_lastChunk.Payload.Span, _events);
        _lastChunk.Release();
        var pcm = ((NovaAudioOutput)_events[0]).Samples;
        var mulawLength = _outbound.Write(pcm, _mulaw);
        var written = 0;
        for (var at = 0; at < mulawLength; at += TelephoneFrame.Samples)
        {
            written += _twilioWriter.Media(_mulaw.AsSpan(at, TelephoneFrame.Samples)).Length;
        }
        return written;
    }

    /// <summary>Outbound step: the response frame decoded to the event's JSON (in a pooled array, given back as the worker does).</summary>
    [Benchmark]
    public int Outbound_DecodeResponseFrame()
    {
        _decoder.Process(_responseFrame, _responseFrame.Length);
        var length = _lastChunk.Payload.Length;
        _lastChunk.Release();
        return length;
    }

    /// <summary>Outbound step: the <c>audioOutput</c> JSON interpreted (its base64 PCM decoded).</summary>
    [Benchmark]
    public int Outbound_InterpretEventJson()
    {
        _events.Clear();
        _interpreter.Interpret(_responseEventJson, _events);
        return ((NovaAudioOutput)_events[0]).Pcm.Length;
    }

    /// <summary>Outbound step: 40 ms of PCM to µ-law and two Twilio <c>media</c> frames.</summary>
    [Benchmark]
    public int Outbound_WriteTwilioFrames()
    {
        var mulawLength = _outbound.Write(_modelPcm, _mulaw);
        var written = 0;
        for (var at = 0; at < mulawLength; at += TelephoneFrame.Samples)
        {
            written += _twilioWriter.Media(_mulaw.AsSpan(at, TelephoneFrame.Samples)).Length;
        }
        return written;
    }

    private int FrameAudioEvent(ReadOnlySpan<short> samples)
    {
        var json = ArrayPool<byte>.Shared.Rent(_audioInput.MaxLength(samples.Length));
        var frame = ArrayPool<byte>.Shared.Rent(SignedEventFramer.MaxFramedLength(json.Length));
        var jsonLength = _audioInput.Write(samples, json);
        var length = _framer.FrameEvent(json.AsSpan(0, jsonLength), _now, frame);
        ArrayPool<byte>.Shared.Return(frame);
        ArrayPool<byte>.Shared.Return(json);
        return length;
    }

    private static EventStreamHeader StringHeader(string name, string value)
    {
        var header = new EventStreamHeader(name);
        header.SetString(value);
        return header;
    }
}
