using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bridge.CallSimulator.Outbound;

/// <summary>The bridge's callbacks to an operator, told in a line or a few: the outcome, and what was said.</summary>
public static class OperatorCallbackText
{
    /// <summary><c>Call CA…: answered. A person answered and talked with the agent; the call lasted 9 s.</c></summary>
    public static string Outcome(JsonElement completed) =>
        $"Call {completed.GetProperty("callSid").GetString()}: {completed.GetProperty("outcome").GetString()}. {completed.GetProperty("summary").GetString()}";

    /// <summary>
    /// <c>Conversation (agent reminders, caller-hung-up after 9.4 s, 2 agent and 1 callee turns, 0 interruptions, tools: none, 812 + 240 tokens)</c>,
    /// then each turn on its own line when <paramref name="turns"/>.
    /// </summary>
    public static string Conversation(JsonElement conversation, bool turns)
    {
        var tools = conversation.GetProperty("tools").EnumerateArray()
            .Select(t => $"{t.GetProperty("name").GetString()} {t.GetProperty("outcome").GetString()} in {t.GetProperty("latencyMs").GetInt64()} ms").ToList();
        var usage = conversation.GetProperty("usage");
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"Conversation (agent {conversation.GetProperty("agent").GetString()}, {conversation.GetProperty("endReason").GetString()} after {conversation.GetProperty("durationSeconds").GetDouble():0.0} s, " +
            $"{conversation.GetProperty("agentTurns").GetInt32()} agent and {conversation.GetProperty("calleeTurns").GetInt32()} callee turns, {conversation.GetProperty("interruptions").GetInt32()} interruptions, " +
            $"tools: {(tools.Count == 0 ? "none" : string.Join(", ", tools))}, {usage.GetProperty("inputTokens").GetInt64()} + {usage.GetProperty("outputTokens").GetInt64()} tokens)"));
        if (!turns || conversation.GetProperty("turns").ValueKind != JsonValueKind.Array)
        {
            return text.ToString();
        }
        foreach (var turn in conversation.GetProperty("turns").EnumerateArray())
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {turn.GetProperty("atSeconds").GetDouble(),5:0.0} s  {turn.GetProperty("speaker").GetString()}: {turn.GetProperty("text").GetString()}")
                .Append(turn.GetProperty("interrupted").GetBoolean() ? "  (interrupted)" : "");
        }
        if (conversation.GetProperty("turnsOmitted").GetInt32() is > 0 and var omitted)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  ({omitted} turns in the middle left out: the transcript's bound)");
        }
        return text.ToString();
    }
}
