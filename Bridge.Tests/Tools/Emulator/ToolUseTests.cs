using Bridge.Emulator;
using Bridge.Emulator.Faults;

namespace Bridge.Tests.Tools.Emulator;

/// <summary>Trigger phrases in interactive text make the emulator call the tools the prompt declares.</summary>
public sealed class ToolUseTests
{
    [Theory]
    [InlineData("The caller pressed 9.", "hang_up")]
    [InlineData("The caller PRESSED 0", "transfer_call")]
    public async Task A_trigger_phrase_makes_it_call_the_declared_tool(string text, string tool)
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(16000, "hang_up", "transfer_call"));
        await stream.SendAsync(TestEvents.AudioContentStart(16000));

        await stream.SendAllAsync(TestEvents.InteractiveText("dtmf-1", text));
        var seen = new List<ResponseFrame>();
        await stream.ReadUntilAsync(f => f.EventName == "usageEvent", seen);

        Assert.Equal(["completionStart", "contentStart TOOL TOOL", "toolUse", "contentEnd TOOL TOOL_USE", "usageEvent"], seen.Select(ConversationTests.Describe));
        var toolUse = seen.Single(f => f.EventName == "toolUse");
        Assert.Equal(tool, toolUse.Str("toolName"));
        Assert.Equal("{}", toolUse.Str("content"));
        Assert.False(string.IsNullOrEmpty(toolUse.Str("toolUseId")));
    }

    [Fact]
    public async Task After_the_tool_result_it_speaks_and_a_second_result_for_the_same_id_is_refused()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(16000, "hang_up"));
        await stream.SendAsync(TestEvents.AudioContentStart(16000));
        await stream.SendAllAsync(TestEvents.InteractiveText("dtmf-1", "pressed 9"));
        var toolUseId = (await stream.ReadUntilAsync(f => f.EventName == "toolUse")).Str("toolUseId")!;

        await stream.SendAllAsync([TestEvents.ToolContentStart("tool-1", toolUseId), TestEvents.ToolResult("tool-1", """{"ok":true}"""), TestEvents.ContentEnd("tool-1")]);
        var final = await stream.ReadUntilAsync(f => f.EventName == "textOutput" && f.Str("role") == "ASSISTANT");
        await stream.SendAsync(TestEvents.ToolContentStart("tool-2", toolUseId));
        var frames = await stream.ReadToEndAsync();

        Assert.Contains("tool result received", final.Str("content"), StringComparison.Ordinal);
        Assert.Equal(ExceptionTypes.Validation, frames.Last().ExceptionType);
    }

    [Fact]
    public async Task A_trigger_for_a_tool_the_prompt_does_not_declare_makes_it_speak_instead()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(16000, "transfer_call"));
        await stream.SendAsync(TestEvents.AudioContentStart(16000));

        await stream.SendAllAsync(TestEvents.InteractiveText("dtmf-1", "pressed 9"));
        var seen = new List<ResponseFrame>();
        await stream.ReadUntilAsync(f => f.EventName == "usageEvent", seen);

        Assert.DoesNotContain(seen, f => f.EventName == "toolUse");
        Assert.Contains(seen, f => f.EventName == "contentStart" && f.Str("type") == "AUDIO");
    }

    [Fact]
    public async Task Configured_triggers_replace_the_defaults_and_carry_their_input()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.ToolTriggers =
            [new ToolTrigger { Contains = "lookup", ToolName = "find_order", Input = """{"order":"42"}""" }]);
        await using var stream = await TestStream.OpenAsync(emulator);
        await stream.SendAllAsync(TestEvents.Opening(16000, "find_order", "hang_up"));
        await stream.SendAsync(TestEvents.AudioContentStart(16000));

        await stream.SendAllAsync(TestEvents.InteractiveText("text-1", "please lookup my order"));
        var toolUse = await stream.ReadUntilAsync(f => f.EventName == "toolUse");

        Assert.Equal(("find_order", """{"order":"42"}"""), (toolUse.Str("toolName"), toolUse.Str("content")));
    }
}
