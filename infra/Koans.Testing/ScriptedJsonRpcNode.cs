using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Koans.Testing;

/// <summary>
/// A JSON-RPC node played by the test, on a <see cref="LoopbackHttpServer"/>: each POST is parsed and answered with
/// what the test's function returns for it. For the shapes a real node sends only sometimes (nested error data, odd
/// error codes, malformed answers), which a local Anvil cannot be asked to produce.
/// </summary>
public static class ScriptedJsonRpcNode
{
    /// <summary>Starts the node; <paramref name="answer"/> gets each parsed request and returns the whole response body.</summary>
    public static Task<LoopbackHttpServer> StartAsync(Func<JsonNode, string> answer, CancellationToken cancellationToken) =>
        LoopbackHttpServer.StartAsync(app => app.MapPost("/", async (HttpContext context) =>
        {
            var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return Results.Content(answer(request!), "application/json");
        }), cancellationToken);

    /// <summary>A JSON-RPC 2.0 response to the request with <paramref name="id"/>, carrying <paramref name="member"/> (<c>"result": …</c> or <c>"error": {…}</c>).</summary>
    public static string Answer(JsonNode? id, string member) =>
        $$"""{ "jsonrpc": "2.0", "id": {{id?.ToJsonString() ?? "null"}}, {{member}} }""";
}
