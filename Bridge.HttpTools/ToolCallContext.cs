namespace Bridge.HttpTools;

/// <summary>The call a tool runs for; sent to the backend with the tool's input.</summary>
public sealed record ToolCallContext(string CallSid, string Agent, string Caller, string Called);
