using System.Buffers;
using System.Text;
using Amazon.Runtime.EventStreams;
using BenchmarkDotNet.Attributes;
using Bridge.Bedrock;
using Bridge.NovaSonic;

namespace Bridge.Benchmarks.Bedrock;

/// <summary>
/// The per-event costs of a call: one 32 ms caller audio event (16 kHz, 512 samples) turned into a signed wire
/// frame, and one 40 ms audioOutput frame (24 kHz) decoded back to PCM.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class AudioEventBenchmarks
{
    private readonly short[] _samples = new short[512];
    private AudioInputWriter _audio = null!;
    private SignedEventFramer _framer = null!;
    private byte[] _outputFrame = null!;
    private readonly List<NovaOutputEvent> _produced = new(1);
    private NovaOutputInterpreter _interpreter = null!;
    private EventStreamResponseDecoder _decoder = null!;
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        for (var i = 0; i < _samples.Length; i++)
        {
            _samples[i] = (short)random.Next(-8000, 8000);
        }
        _audio = new AudioInputWriter("prompt-" + Guid.NewGuid().ToString("N"), "audio-" + Guid.NewGuid().ToString("N"));
        _framer = new SignedEventFramer(new EventSignatureChain("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "bedrock", new string('a', 64)));
        _now = DateTimeOffset.UtcNow;

        var pcm = new byte[960 * 2];
        random.NextBytes(pcm);
        var eventJson = "{\"event\":{\"audioOutput\":{\"sessionId\":\"s-1\",\"promptName\":\"p-1\",\"completionId\":\"c-1\",\"contentId\":\"a-1\",\"content\":\"" +
            Convert.ToBase64String(pcm) + "\"}}}";
        var payload = Encoding.UTF8.GetBytes($$"""{"bytes":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(eventJson))}}"}""");
        _outputFrame = new EventStreamMessage(
        [
            StringHeader(":event-type", "chunk"),
            StringHeader(":content-type", "application/json"),
            StringHeader(":message-type", "event"),
        ], payload).ToByteArray();

        // One decoder and interpreter per stream, as in a call.
        _interpreter = new NovaOutputInterpreter();
        _decoder = new EventStreamResponseDecoder(chunk =>
        {
            _interpreter.Interpret(chunk.Payload.Span, _produced);
            chunk.Release();
        });
    }

    [GlobalCleanup]
    public void Cleanup() => _decoder.Dispose();

    /// <summary>audioInput JSON (base64 PCM) → inner chunk message → signed outer message, in pooled buffers.</summary>
    [Benchmark]
    public int FrameAndSignAudioEvent()
    {
        var json = ArrayPool<byte>.Shared.Rent(_audio.MaxLength(_samples.Length));
        var frame = ArrayPool<byte>.Shared.Rent(SignedEventFramer.MaxFramedLength(json.Length));
        var jsonLength = _audio.Write(_samples, json);
        var length = _framer.FrameEvent(json.AsSpan(0, jsonLength), _now, frame);
        ArrayPool<byte>.Shared.Return(frame);
        ArrayPool<byte>.Shared.Return(json);
        return length;
    }

    /// <summary>Wire bytes → CRC-checked message → payload part → event JSON → PCM.</summary>
    [Benchmark]
    public int DecodeAudioOutputFrame()
    {
        _produced.Clear();
        _decoder.Process(_outputFrame, _outputFrame.Length);
        return ((NovaAudioOutput)_produced[0]).Samples.Length;
    }

    private static EventStreamHeader StringHeader(string name, string value)
    {
        var header = new EventStreamHeader(name);
        header.SetString(value);
        return header;
    }
}
