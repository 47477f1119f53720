using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SemanticManipulation.Studio.Tests;

/// <summary>The API calls the tests make, with their answers as JSON.</summary>
internal static class StudioCalls
{
    public static async Task<string> NewSession(this HttpClient client)
    {
        using var response = await client.PostAsync("/api/sessions", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json(response))["sessionId"]!.GetValue<string>();
    }

    /// <summary>Runs a streamed job (open, render) to its end; returns every event, the last being the outcome.</summary>
    public static async Task<List<JsonObject>> Stream(this HttpClient client, string path, HttpContent? body = null,
        Func<JsonObject, Task>? onEvent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}", null, response.StatusCode);
        }

        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        var events = new List<JsonObject>();
        while (await reader.ReadLineAsync() is string line)
        {
            var parsed = JsonNode.Parse(line)!.AsObject();
            events.Add(parsed);
            if (onEvent is not null)
            {
                await onEvent(parsed);
            }
        }

        return events;
    }

    /// <summary>Opens a photo and returns the state the job finished with.</summary>
    public static async Task<JsonObject> Open(this HttpClient client, string session, string source, HttpContent? body = null)
    {
        var events = await client.Stream($"/api/sessions/{session}/open/{source}", body);
        var last = events[^1];
        Assert.True(last["type"]!.GetValue<string>() == "done", $"open ended with {last.ToJsonString()}");
        return last["state"]!.AsObject();
    }

    public static async Task<HttpResponseMessage> PostStroke(this HttpClient client, string session, object stroke) =>
        await client.PostAsync($"/api/sessions/{session}/strokes",
            new StringContent(JsonSerializer.Serialize(stroke, JsonSerializerOptions.Web), Encoding.UTF8, "application/json"));

    public static async Task<JsonObject> Stroke(this HttpClient client, string session, object stroke)
    {
        using var response = await client.PostStroke(session, stroke);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"stroke refused: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<JsonObject> Post(this HttpClient client, string path)
    {
        using var response = await client.PostAsync(path, null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<JsonObject> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>Asserts a refusal: the status, and a one-line <c>error</c> that mentions <paramref name="mentions"/>.</summary>
    public static async Task AssertRefused(HttpResponseMessage response, HttpStatusCode status, string mentions)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonNode.Parse(body)!["error"]!.GetValue<string>();
        Assert.DoesNotContain('\n', error);
        Assert.Contains(mentions, error, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The preview PNG carried by a state (its data URL).</summary>
    public static byte[] PreviewOf(JsonObject state)
    {
        var url = state["preview"]!.GetValue<string>();
        const string prefix = "data:image/png;base64,";
        Assert.StartsWith(prefix, url, StringComparison.Ordinal);
        return Convert.FromBase64String(url[prefix.Length..]);
    }

    public static ByteArrayContent ImageContent(byte[] bytes, string type = "image/jpeg")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    public static string SamplePath(string name) => Path.Combine(AppContext.BaseDirectory, "samples", name);
}
