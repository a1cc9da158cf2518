using Bridge.MediaWorker.Calls;
using Bridge.TwilioMedia;

namespace Bridge.MediaWorker.Outbound;

/// <summary>An outbound call whose operator asked for its conversation: where to send it, the call, and what is being said.</summary>
internal sealed record OutboundConversation(Uri Callback, TwilioStartInfo Start, string Agent, ConversationTranscript? Transcript);
