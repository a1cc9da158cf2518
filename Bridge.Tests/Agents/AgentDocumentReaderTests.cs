using Bridge.Agents.Prompts;
using Bridge.Agents.Tools;

namespace Bridge.Tests.Agents;

public sealed class AgentDocumentReaderTests : IDisposable
{
    private readonly ProfileDocuments _documents = new();

    public void Dispose() => _documents.Dispose();

    [Fact]
    public void A_valid_document_gives_every_agent_with_its_settings()
    {
        var catalog = _documents.Catalog();

        Assert.Equal(["front-desk", "sales", "support"], catalog.Agents.Select(a => a.Name));
        Assert.Equal("front-desk", catalog.Default.Name);
        var sales = catalog.Find("sales")!;
        Assert.Equal("tiffany", sales.Voice);
        Assert.Equal("HIGH", sales.EndpointingSensitivity);
        Assert.Equal(512, sales.Inference.MaxTokens);
        Assert.Null(sales.Inference.TopP);
        Assert.Equal(0.3, sales.Inference.Temperature);
        Assert.Equal(TimeSpan.FromMinutes(10), sales.MaxDuration);
        Assert.Equal("America/New_York", sales.TimeZone.Id);
        Assert.Equal("sip:warehouse@pbx.example.com", sales.TransferDestinations["warehouse"]);
        Assert.Equal(["caller", "called", "localTime", "timeZone"], sales.SystemPrompt!.Variables);
        var support = catalog.Find("support")!;
        Assert.Equal("Europe/Paris", support.TimeZone.Id);
        Assert.Equal("Vous êtes le support. Il est {{localTime}}.", support.SystemPrompt!.Text);
        var tool = catalog.Tools["order_status"];
        Assert.Equal(TimeSpan.FromSeconds(3), tool.Timeout);
        Assert.False(tool.Retry);
        Assert.True(tool.CancelOnBargeIn);
        Assert.Equal(HttpToolDefinition.DefaultMaxResponseBytes, tool.MaxResponseBytes);
        Assert.Contains("\"orderNumber\"", tool.InputSchemaJson, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tool_may_keep_running_through_a_barge_in()
    {
        var read = _documents.Read("""
            { "agents": [ { "name": "a", "default": true, "tools": ["lookup"] } ],
              "tools": { "lookup": { "description": "d", "inputSchema": { "type": "object" }, "url": "https://orders.example.com/x", "cancelOnBargeIn": false } } }
            """);

        Assert.False(read.Catalog!.Tools["lookup"].CancelOnBargeIn);
    }

    [Fact]
    public void A_number_selects_its_agent_and_any_other_number_the_default()
    {
        var catalog = _documents.Catalog();

        Assert.Equal("sales", catalog.ForCalledNumber(ProfileDocuments.SalesNumber).Name);
        Assert.Equal("support", catalog.ForCalledNumber(ProfileDocuments.SupportNumber).Name);
        Assert.Equal("front-desk", catalog.ForCalledNumber("+15005559999").Name);
        Assert.Equal("front-desk", catalog.ForCalledNumber("").Name);
        Assert.Equal("front-desk", catalog.ForCalledNumber(null).Name);
    }

    [Fact]
    public void Every_problem_is_one_line_naming_the_agent_and_the_field()
    {
        var read = _documents.Read("""
            {
              "agents": [
                { "name": "front-desk", "default": true, "voice": "hal9000", "systemPrompt": "Hello {{weather}}" },
                { "name": "sales", "numbers": ["555-1234"], "endpointingSensitivity": "FAST", "vioce": "amy",
                  "tools": ["order_status", "fax"], "transferDestinations": { "billing": "reception" },
                  "timeZone": "Mars/Olympus", "maxDuration": "08:00:00", "inference": { "topP": 2 } }
              ]
            }
            """);

        Assert.Null(read.Catalog);
        Assert.All(read.Errors, line => Assert.DoesNotContain('\n', line));
        Assert.All(read.Errors, line => Assert.StartsWith("file:agents.json: ", line, StringComparison.Ordinal));
        Assert.Collection(read.Errors.Order(StringComparer.Ordinal),
            line => Assert.Contains("agent 'front-desk', systemPrompt: unknown variable {{weather}}", line, StringComparison.Ordinal),
            line => Assert.Contains("agent 'front-desk', voice: 'hal9000' is not a Nova 2 Sonic voice", line, StringComparison.Ordinal),
            line => Assert.Contains("agent 'sales', endpointingSensitivity: 'FAST'", line, StringComparison.Ordinal),
            line => Assert.Contains("agent 'sales', inference.topP: must be a number from 0 to 1", line, StringComparison.Ordinal),
            line => Assert.Contains("agent 'sales', maxDuration: '08:00:00'", line, StringComparison.Ordinal),
            line => Assert.Contains("agent 'sales', numbers: '555-1234' is not an E.164 number", line, StringComparison.Ordinal),
            line => Assert.Contains("agent 'sales', timeZone: 'Mars/Olympus' is not an IANA time zone", line, StringComparison.Ordinal),
            line => Assert.Contains("agent 'sales', tools: 'fax' is neither a built-in tool", line, StringComparison.Ordinal),
            line => Assert.Contains("agent 'sales', tools: 'order_status' is neither a built-in tool", line, StringComparison.Ordinal),
            line => Assert.Contains("agent 'sales', transferDestinations: 'billing' goes to 'reception'", line, StringComparison.Ordinal),
            line => Assert.Contains("agent 'sales', transferDestinations: are set, but \"tools\" does not list transfer_call", line, StringComparison.Ordinal),
            line => Assert.Contains("agent 'sales', vioce: is not a known field", line, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "agents": [ { "name": "a" } ] }""", "agent 'a', numbers: the agent answers no number and is not the default")]
    [InlineData("""{ "agents": [ { "name": "a", "numbers": ["+15005550006"] } ] }""", "agents: no agent has \"default\": true")]
    [InlineData("""{ "agents": [ { "name": "a", "default": true }, { "name": "b", "default": true } ] }""", "agents 'a', 'b' all have \"default\": true")]
    [InlineData("""{ "agents": [ { "name": "a", "default": true }, { "name": "a", "numbers": ["+15005550006"] } ] }""", "agent 'a', name: is used by another agent too")]
    [InlineData("""{ "agents": [ { "name": "a", "default": true, "numbers": ["+15005550006"] }, { "name": "b", "numbers": ["+15005550006"] } ] }""", "agent 'b', numbers: +15005550006 is answered by agent 'a' too")]
    [InlineData("""{ "agents": [] }""", "agents: must list at least one agent")]
    [InlineData("""{ "agents": [ { "default": true } ] }""", "agents[0].name: is required")]
    [InlineData("""{ "agents": [ { "name": "a", "default": true, "systemPrompt": "x", "systemPromptFile": "p.txt" } ] }""", "agent 'a', systemPrompt: give systemPrompt or systemPromptFile, not both")]
    [InlineData("""{ "agents": [ { "name": "a", "default": true, "systemPromptFile": "missing.txt" } ] }""", "agent 'a', systemPromptFile: cannot read")]
    [InlineData("""{ "agents": [ { "name": "a", "default": true, "greeting": "Hi {{caller" } ] }""", "agent 'a', greeting: '{{' at character 4 is never closed")]
    [InlineData("""{ "agents": [ { "name": "a", "default": true, "language": "klingon" } ] }""", "agent 'a', language: 'klingon' is not a language Nova 2 Sonic speaks")]
    [InlineData("""{ "agents": [ { "name": "a", "default": true } ], "timeZone": "Nowhere" }""", "timeZone: 'Nowhere' is not an IANA time zone")]
    [InlineData("""{ "agents": [ { "name": "a", "default": true, ] """, "document: is not valid JSON")]
    [InlineData("""[]""", "document: must be a JSON object")]
    public void A_bad_document_is_refused_with_a_line_saying_where(string json, string expected)
    {
        var read = _documents.Read(json);

        Assert.Null(read.Catalog);
        var line = Assert.Single(read.Errors);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "description": "d", "inputSchema": { "type": "object" }, "url": "http://orders.example.com/x" }""", "tool 'lookup', url: 'http://orders.example.com/x' must use https")]
    [InlineData("""{ "description": "d", "inputSchema": { "type": "object" }, "url": "http://127.0.0.1:5097/x" }""", "tool 'lookup', url: 'http://127.0.0.1:5097/x' must use https (plain http is allowed only to this machine, and only in Development)")]
    [InlineData("""{ "description": "d", "inputSchema": { "type": "object" }, "url": "https://user:pw@orders.example.com/x" }""", "tool 'lookup', url: 'https://user:pw@orders.example.com/x' must carry no user name")]
    [InlineData("""{ "description": "d", "inputSchema": { "type": "array" }, "url": "https://orders.example.com/x" }""", "tool 'lookup', inputSchema: must describe an object")]
    [InlineData("""{ "description": "d", "inputSchema": { "type": "object", "properties": { "n": { "type": "nummer" } } }, "url": "https://orders.example.com/x" }""", "tool 'lookup', inputSchema: is not a valid JSON Schema")]
    [InlineData("""{ "inputSchema": { "type": "object" }, "url": "https://orders.example.com/x" }""", "tool 'lookup', description: is required")]
    [InlineData("""{ "description": "d", "url": "https://orders.example.com/x" }""", "tool 'lookup', inputSchema: is required")]
    [InlineData("""{ "description": "d", "inputSchema": { "type": "object" }, "url": "https://orders.example.com/x", "timeout": "00:05:00" }""", "tool 'lookup', timeout: '00:05:00' must be a duration")]
    [InlineData("""{ "description": "d", "inputSchema": { "type": "object" }, "url": "https://orders.example.com/x", "secret": "abc" }""", "tool 'lookup', secret: is not a known field")]
    [InlineData("""{ "description": "d", "inputSchema": { "type": "object" }, "url": "https://orders.example.com/x", "cancelOnBargeIn": "no" }""", "tool 'lookup', cancelOnBargeIn: must be true or false")]
    public void A_bad_tool_is_refused_with_one_line_naming_it_and_none_for_the_agents_using_it(string tool, string expected)
    {
        var read = _documents.Read($$"""
            { "agents": [ { "name": "a", "default": true, "tools": ["lookup"] }, { "name": "b", "numbers": ["+15005550006"], "tools": ["lookup"] } ],
              "tools": { "lookup": {{tool}} } }
            """);

        Assert.Null(read.Catalog);
        var line = Assert.Single(read.Errors);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "look up": { "description": "d", "inputSchema": { "type": "object" }, "url": "https://x.example.com" } }""", "look up", "tool 'look up', name: must be 1-64 letters")]
    [InlineData("""{ "lookup": "https://x.example.com" }""", "lookup", "tool 'lookup', definition: must be an object")]
    [InlineData("""[ { "lookup": { "description": "d", "inputSchema": { "type": "object" }, "url": "https://x.example.com" } } ]""", "lookup", "file:agents.json: tools: must be an object")]
    public void A_tool_declared_wrongly_is_one_line_not_one_more_per_agent_that_lists_it(string tools, string listed, string expected)
    {
        var read = _documents.Read($$"""{ "agents": [ { "name": "a", "default": true, "tools": ["{{listed}}", "hang_up"] } ], "tools": {{tools}} }""");

        Assert.Null(read.Catalog);
        var line = Assert.Single(read.Errors);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void An_agent_naming_a_tool_nobody_declares_is_named_beside_a_bad_tool()
    {
        var read = _documents.Read("""
            { "agents": [ { "name": "a", "default": true, "tools": ["lookup", "fax"] } ],
              "tools": { "lookup": { "description": "d", "inputSchema": { "type": "object" }, "url": "not a url" } } }
            """);

        Assert.Null(read.Catalog);
        Assert.Collection(read.Errors.Order(StringComparer.Ordinal),
            line => Assert.EndsWith(
                "agent 'a', tools: 'fax' is neither a built-in tool (hang_up, transfer_call) nor defined under \"tools\"", line, StringComparison.Ordinal),
            line => Assert.EndsWith("tool 'lookup', url: 'not a url' is not an absolute http(s) URL", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Plain_http_to_this_machine_is_allowed_in_development_only()
    {
        var json = """{ "agents": [ { "name": "a", "default": true, "tools": ["lookup"] } ], "tools": { "lookup": { "description": "d", "inputSchema": { "type": "object" }, "url": "http://localhost:5097/x" } } }""";

        Assert.NotNull(_documents.Read(json, development: true).Catalog);
        Assert.Null(_documents.Read(json, development: false).Catalog);
    }

    [Fact]
    public void A_built_in_name_cannot_be_an_http_tool()
    {
        var read = _documents.Read("""{ "agents": [ { "name": "a", "default": true } ], "tools": { "hang_up": { "description": "d", "inputSchema": { "type": "object" }, "url": "https://x.example.com" } } }""");

        Assert.Contains(read.Errors, line => line.Contains("tool 'hang_up', name: is a built-in tool", StringComparison.Ordinal));
        Assert.Contains(BuiltInTools.HangUp, BuiltInTools.Names);
    }

    [Fact]
    public void Prompt_variables_are_filled_with_the_call_and_the_agent_s_local_time()
    {
        var sales = _documents.Catalog().Find("sales")!;
        var variables = new PromptVariables("+14155552671", ProfileDocuments.SalesNumber, "sales",
            new DateTimeOffset(2026, 1, 13, 14, 30, 0, TimeSpan.Zero), sales.TimeZone);

        Assert.Equal(
            "You sell boats. The caller is +14155552671, calling +15005550006; it is Tuesday 13 January 2026, 09:30 (America/New_York).",
            sales.SystemPrompt!.Render(variables));
        Assert.Equal("Greet the caller on behalf of sales.", sales.Greeting!.Render(variables));
    }

    [Fact]
    public void A_withheld_caller_number_reads_as_unknown()
    {
        var variables = new PromptVariables("", "+15005550006", "a", DateTimeOffset.UnixEpoch, NodaTime.DateTimeZone.Utc);

        Assert.Equal("unknown", variables[PromptVariables.Caller]);
        Assert.Equal("Thursday 1 January 1970, 00:00", variables[PromptVariables.LocalTime]);
    }
}
