using Bridge.Agents.Profiles;

namespace Bridge.Tests.Agents;

/// <summary>Profile documents for tests, and a temporary folder to hold one (with its prompt files).</summary>
public sealed class ProfileDocuments : IDisposable
{
    public const string SalesNumber = "+15005550006";
    public const string SupportNumber = "+15005550007";

    /// <summary>Three agents: front-desk (the default), sales (an HTTP tool, a transfer destination), support (French).</summary>
    public const string Valid = """
        {
          // Comments and trailing commas are allowed.
          "timeZone": "America/New_York",
          "agents": [
            {
              "name": "front-desk",
              "default": true,
              "tools": ["hang_up", "transfer_call"],
            },
            {
              "name": "sales",
              "numbers": ["+15005550006"],
              "systemPrompt": "You sell boats. The caller is {{caller}}, calling {{called}}; it is {{localTime}} ({{timeZone}}).",
              "greeting": "Greet the caller on behalf of {{agent}}.",
              "voice": "tiffany",
              "endpointingSensitivity": "HIGH",
              "inference": { "maxTokens": 512, "temperature": 0.3 },
              "tools": ["order_status", "transfer_call", "hang_up"],
              "transferDestinations": { "billing": "+15005550001", "warehouse": "sip:warehouse@pbx.example.com" },
              "maxDuration": "00:10:00"
            },
            {
              "name": "support",
              "numbers": ["+15005550007"],
              "systemPromptFile": "prompts/support.txt",
              "voice": "ambre",
              "language": "fr-FR",
              "timeZone": "Europe/Paris"
            }
          ],
          "tools": {
            "order_status": {
              "description": "Looks up an order by its number.",
              "inputSchema": {
                "type": "object",
                "properties": { "orderNumber": { "type": "string", "pattern": "^[0-9]{4,8}$" } },
                "required": ["orderNumber"]
              },
              "url": "https://orders.example.com/tools/order-status",
              "timeout": "00:00:03"
            }
          }
        }
        """;

    public ProfileDocuments()
    {
        Directory.CreateDirectory(Path.Combine(Folder, "prompts"));
        File.WriteAllText(Path.Combine(Folder, "prompts", "support.txt"), "Vous êtes le support. Il est {{localTime}}.");
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "bridge-agents-" + Guid.NewGuid().ToString("N"));

    /// <summary>Writes <paramref name="json"/> as agents.json in <see cref="Folder"/> and returns its full path.</summary>
    public string Write(string json, string name = "agents.json")
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, json);
        return path;
    }

    public AgentCatalogRead Read(string json, bool development = false) =>
        AgentDocumentReader.Read(json, new AgentDocumentContext("file:agents.json", Folder, development));

    public AgentCatalog Catalog(string json = Valid)
    {
        var read = Read(json);
        Assert.Empty(read.Errors);
        return read.Catalog!;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
