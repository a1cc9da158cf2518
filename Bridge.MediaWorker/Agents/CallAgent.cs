using Bridge.MediaWorker.Calls.Tools;
using Bridge.NovaSonic;

namespace Bridge.MediaWorker.Agents;

/// <summary>
/// The agent that answers one call, resolved when the call starts: what the model is told (prompt with its
/// variables filled, voice, greeting, turn detection, inference, SYSTEM_SPEECH, the tools it may use) and the tools
/// that serve it.
/// </summary>
/// <param name="Name">The profile's name, or <see cref="AgentResolver.ConfiguredAgentName"/> without profiles.</param>
/// <param name="Setup">What <see cref="NovaSonicSessionFactory.OpenAsync"/> opens the conversation with.</param>
/// <param name="Tools">The tools the call runs when the model asks, one per definition in <see cref="NovaSessionSetup.Tools"/>.</param>
/// <param name="MaxDuration">The profile's call limit; the worker's own limit applies as well (the shorter wins).</param>
public sealed record CallAgent(string Name, NovaSessionSetup Setup, IReadOnlyList<ICallTool> Tools, TimeSpan? MaxDuration);
