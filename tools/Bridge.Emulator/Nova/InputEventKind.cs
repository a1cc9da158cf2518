namespace Bridge.Emulator.Nova;

public enum InputEventKind
{
    SessionStart,
    PromptStart,
    ContentStart,
    TextInput,
    AudioInput,
    ToolResult,
    ContentEnd,
    PromptEnd,
    SessionEnd,
}
