using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime.EventStreams;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>Nova input events as a client writes them, and the inner event-stream message that carries one.</summary>
internal static class TestEvents
{
    public const string Prompt = "prompt-1";
    public const string AudioContent = "audio-1";

    public static byte[] InnerMessage(string eventJson)
    {
        var headers = new List<IEventStreamHeader>();
        foreach (var (name, value) in new[] { (":event-type", "chunk"), (":message-type", "event"), (":content-type", "application/json") })
        {
            var header = new EventStreamHeader(name);
            header.SetString(value);
            headers.Add(header);
        }

        var payload = JsonSerializer.Serialize(new { bytes = Convert.ToBase64String(Encoding.UTF8.GetBytes(eventJson)) });
        return new EventStreamMessage(headers, Encoding.UTF8.GetBytes(payload)).ToByteArray();
    }

    public static string SessionStart() => Event("sessionStart", new JsonObject
    {
        ["inferenceConfiguration"] = new JsonObject { ["maxTokens"] = 1024, ["topP"] = 0.9, ["temperature"] = 0.7 },
    });

    public static string PromptStart(int outputRate = 24000, params string[] tools)
    {
        var body = new JsonObject
        {
            ["promptName"] = Prompt,
            ["textOutputConfiguration"] = new JsonObject { ["mediaType"] = "text/plain" },
            ["audioOutputConfiguration"] = new JsonObject
            {
                ["mediaType"] = "audio/lpcm", ["sampleRateHertz"] = outputRate, ["sampleSizeBits"] = 16, ["channelCount"] = 1,
                ["voiceId"] = "matthew", ["encoding"] = "base64", ["audioType"] = "SPEECH",
            },
        };
        if (tools.Length > 0)
        {
            body["toolUseOutputConfiguration"] = new JsonObject { ["mediaType"] = "application/json" };
            body["toolConfiguration"] = new JsonObject
            {
                ["tools"] = new JsonArray(tools.Select(t => (JsonNode)new JsonObject
                {
                    ["toolSpec"] = new JsonObject { ["name"] = t, ["description"] = t, ["inputSchema"] = new JsonObject { ["json"] = "{\"type\":\"object\"}" } },
                }).ToArray()),
            };
        }

        return Event("promptStart", body);
    }

    public static string TextContentStart(string contentName, string role, bool interactive) => Event("contentStart", new JsonObject
    {
        ["promptName"] = Prompt, ["contentName"] = contentName, ["type"] = "TEXT", ["interactive"] = interactive, ["role"] = role,
        ["textInputConfiguration"] = new JsonObject { ["mediaType"] = "text/plain" },
    });

    public static string TextInput(string contentName, string text) =>
        Event("textInput", new JsonObject { ["promptName"] = Prompt, ["contentName"] = contentName, ["content"] = text });

    public static string ContentEnd(string contentName) =>
        Event("contentEnd", new JsonObject { ["promptName"] = Prompt, ["contentName"] = contentName });

    public static string AudioContentStart(int inputRate = 16000, string contentName = AudioContent) => Event("contentStart", new JsonObject
    {
        ["promptName"] = Prompt, ["contentName"] = contentName, ["type"] = "AUDIO", ["interactive"] = true, ["role"] = "USER",
        ["audioInputConfiguration"] = new JsonObject
        {
            ["mediaType"] = "audio/lpcm", ["sampleRateHertz"] = inputRate, ["sampleSizeBits"] = 16, ["channelCount"] = 1,
            ["audioType"] = "SPEECH", ["encoding"] = "base64",
        },
    });

    public static string AudioInput(ReadOnlySpan<short> samples, string contentName = AudioContent) => Event("audioInput", new JsonObject
    {
        ["promptName"] = Prompt, ["contentName"] = contentName, ["content"] = Convert.ToBase64String(MemoryMarshal.AsBytes(samples)),
    });

    public static string ToolContentStart(string contentName, string toolUseId) => Event("contentStart", new JsonObject
    {
        ["promptName"] = Prompt, ["contentName"] = contentName, ["interactive"] = false, ["type"] = "TOOL", ["role"] = "TOOL",
        ["toolResultInputConfiguration"] = new JsonObject
        {
            ["toolUseId"] = toolUseId, ["type"] = "TEXT", ["textInputConfiguration"] = new JsonObject { ["mediaType"] = "text/plain" },
        },
    });

    public static string ToolResult(string contentName, string resultJson) =>
        Event("toolResult", new JsonObject { ["promptName"] = Prompt, ["contentName"] = contentName, ["content"] = resultJson });

    public static string PromptEnd() => Event("promptEnd", new JsonObject { ["promptName"] = Prompt });

    public static string SessionEnd() => Event("sessionEnd", new JsonObject());

    public static string Event(string name, JsonObject body) =>
        new JsonObject { ["event"] = new JsonObject { [name] = body } }.ToJsonString();

    /// <summary>sessionStart, promptStart, a system prompt: what every conversation begins with.</summary>
    public static IEnumerable<string> Opening(int outputRate = 24000, params string[] tools) =>
    [
        SessionStart(),
        PromptStart(outputRate, tools),
        TextContentStart("system-1", "SYSTEM", interactive: false),
        TextInput("system-1", "You are a helpful phone assistant."),
        ContentEnd("system-1"),
    ];

    /// <summary>An interactive USER text (a greeting instruction, a DTMF note) in its own content.</summary>
    public static IEnumerable<string> InteractiveText(string contentName, string text) =>
    [
        TextContentStart(contentName, "USER", interactive: true),
        TextInput(contentName, text),
        ContentEnd(contentName),
    ];
}

/// <summary>Caller audio for tests: a loud tone counts as speech, zeros as silence.</summary>
internal static class TestAudio
{
    public static short[] Tone(int sampleRate, TimeSpan duration, double frequency = 300, short amplitude = 8000)
    {
        var samples = new short[(int)(sampleRate * duration.TotalSeconds)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        }

        return samples;
    }

    public static short[] Silence(int sampleRate, TimeSpan duration) => new short[(int)(sampleRate * duration.TotalSeconds)];

    /// <summary>audioInput events of 32 ms each, as clients are advised to send.</summary>
    public static IEnumerable<string> AsEvents(short[] samples, int sampleRate)
    {
        var chunk = sampleRate * 32 / 1000;
        for (var offset = 0; offset < samples.Length; offset += chunk)
        {
            yield return TestEvents.AudioInput(samples.AsSpan(offset, Math.Min(chunk, samples.Length - offset)));
        }
    }
}
