using System.Text;
using Bridge.NovaSonic;
using Bridge.Tests.Bedrock;

namespace Bridge.Tests.NovaSonic;

public sealed class NovaOutputInterpreterTests
{
    [Fact]
    public void The_recorded_output_becomes_a_speculative_transcript_audio_and_one_barge_in()
    {
        var interpreter = new NovaOutputInterpreter();
        var produced = new List<NovaOutputEvent>();

        foreach (var chunk in GoldenCapture.ReceivedChunks(GoldenCapture.Instance.Scenario("normal")))
        {
            interpreter.Interpret(Encoding.UTF8.GetBytes(chunk), produced);
        }

        Assert.Collection(produced,
            e => Assert.Equal(new NovaTranscript(NovaRole.Assistant, NovaGenerationStage.Speculative, "Hello, how can I help?"), e),
            e => Assert.True(Assert.IsType<NovaAudioOutput>(e).Pcm.Length > 0),
            e => Assert.IsType<NovaBargeIn>(e));
        Assert.False(interpreter.AudioInFlight);
    }

    [Fact]
    public void A_text_content_ending_interrupted_is_a_barge_in_on_its_own()
    {
        var produced = Interpret(
            """{"event":{"contentStart":{"contentId":"a","type":"AUDIO","role":"ASSISTANT"}}}""",
            """{"event":{"audioOutput":{"contentId":"a","content":"AAAA"}}}""",
            """{"event":{"contentEnd":{"contentId":"t","type":"TEXT","stopReason":"INTERRUPTED"}}}""");

        Assert.IsType<NovaBargeIn>(produced[^1]);
    }

    [Fact]
    public void A_tool_is_requested_when_its_content_ends_not_when_its_tool_use_arrives()
    {
        var interpreter = new NovaOutputInterpreter();
        var produced = new List<NovaOutputEvent>();
        interpreter.Interpret("""{"event":{"contentStart":{"contentId":"k","type":"TOOL","role":"TOOL"}}}"""u8, produced);
        interpreter.Interpret("""{"event":{"toolUse":{"contentId":"k","toolName":"hang_up","toolUseId":"u-1","content":"{\"reason\":\"done\"}"}}}"""u8, produced);
        Assert.Empty(produced);
        Assert.Equal(1, interpreter.PendingToolUses);

        interpreter.Interpret("""{"event":{"contentEnd":{"contentId":"k","type":"TOOL","stopReason":"TOOL_USE"}}}"""u8, produced);

        Assert.Equal(new NovaToolUse("hang_up", "u-1", """{"reason":"done"}"""), Assert.Single(produced));
    }

    [Fact]
    public void The_callers_words_are_a_final_user_transcript_and_the_turn_end_follows_the_audio()
    {
        var produced = Interpret(
            """{"event":{"contentStart":{"contentId":"u","type":"TEXT","role":"USER","additionalModelFields":"{\"generationStage\":\"FINAL\"}"}}}""",
            """{"event":{"textOutput":{"contentId":"u","role":"USER","content":"what time is it"}}}""",
            """{"event":{"contentStart":{"contentId":"f","type":"TEXT","role":"ASSISTANT","additionalModelFields":"{\"generationStage\":\"FINAL\"}"}}}""",
            """{"event":{"textOutput":{"contentId":"f","role":"ASSISTANT","content":"It is noon."}}}""",
            """{"event":{"contentStart":{"contentId":"a","type":"AUDIO","role":"ASSISTANT"}}}""",
            """{"event":{"contentEnd":{"contentId":"a","type":"AUDIO","stopReason":"END_TURN"}}}""",
            """{"event":{"usageEvent":{"totalInputTokens":5,"totalOutputTokens":7,"totalTokens":12}}}""");

        Assert.Equal(
        [
            new NovaTranscript(NovaRole.User, NovaGenerationStage.Final, "what time is it"),
            new NovaTranscript(NovaRole.Assistant, NovaGenerationStage.Final, "It is noon."),
            new NovaTurnEnd(),
            new NovaUsage(5, 7, 12),
        ], produced);
    }

    [Theory]
    [InlineData("{ \"interrupted\" : true }", true)]
    [InlineData("{\"interrupted\":true}", true)]
    [InlineData("{\"interrupted\":false}", false)]
    [InlineData("I was interrupted", false)]
    public void Only_the_interruption_marker_counts_as_one(string text, bool expected)
    {
        Assert.Equal(expected, NovaOutputInterpreter.IsInterruptionSignal(text));
    }

    [Theory]
    [InlineData("""{"event":{"audioOutput":{"sessionId":"s","promptName":"p","completionId":"c","contentId":"a","content":"AQIDBA=="}}}""")]
    [InlineData("""{"event":{"audioOutput":{"content":"AQID","contentId":"a"}}}""")]
    [InlineData("""{"event":{"audioOutput":{"content":"AQID"}}}""")]
    [InlineData("""{"event":{"audioOutput":{"contentId":"a","content":""}}}""")]
    [InlineData("""{"event":{"audioOutput":{"contentId":"a","content":null}}}""")]
    [InlineData("""{"event":{"audioOutput":{"contentId":"a","content":"AQID","content":"BAUG"}}}""")]
    [InlineData("""{"event":{"audioOutput":{"contentId":"a","content":"AQID"},"usageEvent":{"totalTokens":3}}}""")]
    [InlineData("""{"event":{"audioOutput":{"contentId":"a","content":"AQID"}},"other":{}}""")]
    public void Model_audio_reads_as_the_same_event_spelled_with_escapes(string json)
    {
        // An escaped member name ("event" is "event") is read by the serializer, whatever the event is.
        var escaped = json.Replace("{\"event\"", "{\"\\u0065vent\"", StringComparison.Ordinal);
        var usual = new NovaOutputInterpreter(3);
        var general = new NovaOutputInterpreter(3);
        var fromUsual = new List<NovaOutputEvent>();
        var fromGeneral = new List<NovaOutputEvent>();

        usual.Interpret(Encoding.UTF8.GetBytes(json), fromUsual);
        general.Interpret(Encoding.UTF8.GetBytes(escaped), fromGeneral);

        Assert.NotEqual(json, escaped);
        Assert.Equal(Describe(fromGeneral), Describe(fromUsual));
        Assert.Equal(general.AudioInFlight, usual.AudioInFlight);
    }

    [Fact]
    public void Model_audio_that_is_not_base64_is_unreadable_as_before()
    {
        var interpreter = new NovaOutputInterpreter();

        Assert.ThrowsAny<System.Text.Json.JsonException>(() =>
            interpreter.Interpret("""{"event":{"audioOutput":{"contentId":"a","content":"not base64"}}}"""u8, []));
    }

    private static string Describe(List<NovaOutputEvent> events) =>
        string.Join("; ", events.Select(e => e is NovaAudioOutput audio ? $"audio {audio.Generation} {Convert.ToHexString(audio.Pcm.Span)}" : e.ToString()));

    private static List<NovaOutputEvent> Interpret(params string[] events)
    {
        var interpreter = new NovaOutputInterpreter();
        var produced = new List<NovaOutputEvent>();
        foreach (var json in events)
        {
            interpreter.Interpret(Encoding.UTF8.GetBytes(json), produced);
        }
        return produced;
    }
}
