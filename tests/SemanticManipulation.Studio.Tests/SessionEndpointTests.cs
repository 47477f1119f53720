using System.Net;
using System.Text.Json.Nodes;
using static SemanticManipulation.Studio.Tests.StudioCalls;

namespace SemanticManipulation.Studio.Tests;

[Collection(SharedStudio.Name)]
public sealed class SessionEndpointTests(StudioFixture studio)
{
    private HttpClient Client => studio.Client;

    private int Resolution => studio.Resolution;

    [Fact]
    public async Task A_new_session_is_created_empty_with_an_unguessable_id()
    {
        using var response = await Client.PostAsync("/api/sessions", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var state = await Json(response);
        Assert.Matches("^[0-9a-f]{32}$", state["sessionId"]!.GetValue<string>());
        Assert.Null(state["photo"]);
        Assert.Empty(state["strokes"]!.AsArray());
        Assert.False(state["canUndo"]!.GetValue<bool>());

        var again = JsonNode.Parse(await Client.GetStringAsync($"/api/sessions/{state["sessionId"]}"))!;
        Assert.Equal(state["sessionId"]!.GetValue<string>(), again["sessionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_session_id_is_a_404_on_every_endpoint()
    {
        const string unknown = "0123456789abcdef0123456789abcdef";
        using var state = await Client.GetAsync($"/api/sessions/{unknown}");
        await AssertRefused(state, HttpStatusCode.NotFound, "POST /api/sessions");
        using var open = await Client.PostAsync($"/api/sessions/{unknown}/open/seed/1", null);
        await AssertRefused(open, HttpStatusCode.NotFound, "session");
        using var undo = await Client.PostAsync($"/api/sessions/{unknown}/undo", null);
        await AssertRefused(undo, HttpStatusCode.NotFound, "session");
        using var preview = await Client.GetAsync($"/api/sessions/{unknown}/preview.png");
        await AssertRefused(preview, HttpStatusCode.NotFound, "session");
        using var cancel = await Client.PostAsync($"/api/sessions/{unknown}/cancel", null);
        await AssertRefused(cancel, HttpStatusCode.NotFound, "session");
    }

    [Fact]
    public async Task A_deleted_session_is_gone()
    {
        var session = await Client.NewSession();
        await Client.Open(session, "seed/2");
        using var deleted = await Client.DeleteAsync($"/api/sessions/{session}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var after = await Client.GetAsync($"/api/sessions/{session}");
        await AssertRefused(after, HttpStatusCode.NotFound, "session");
    }

    [Fact]
    public async Task Opening_a_sample_streams_inversion_and_preview_fit_progress_then_the_opened_state()
    {
        var session = await Client.NewSession();
        var events = await Client.Stream($"/api/sessions/{session}/open/sample/church");
        Assert.Equal("started", events[0]["type"]!.GetValue<string>());
        var progress = events.Where(e => e["type"]!.GetValue<string>() == "progress").ToList();
        Assert.Contains(progress, e => e["stage"]!.GetValue<string>() == "inverting");
        Assert.Contains(progress, e => e["stage"]!.GetValue<string>() == "fitting-preview");
        Assert.Contains(progress, e => e["stage"]!.GetValue<string>() == "inverting" && e["step"]!.GetValue<int>() == 30);

        var state = events[^1]["state"]!.AsObject();
        Assert.Equal("sample:church", state["photo"]!["source"]!.GetValue<string>());
        Assert.Equal(320, state["photo"]!["width"]!.GetValue<int>());
        Assert.Equal(256, state["photo"]!["height"]!.GetValue<int>());
        Assert.True(state["photo"]!["inversionPsnrDb"]!.GetValue<double>() > 15);
        Assert.True(state["estimatedBytes"]!.GetValue<long>() > 0);
        using var preview = Pixels.Decode(PreviewOf(state));
        Assert.Equal(Resolution, preview.Width);

        var photo = await Client.GetByteArrayAsync($"/api/sessions/{session}/photo.png");
        Assert.Equal(Resolution, Pixels.Decode(photo).Width);
        Assert.Equal(PreviewOf(state), await Client.GetByteArrayAsync($"/api/sessions/{session}/preview.png"));
    }

    [Fact]
    public async Task Opening_a_seed_uses_its_known_representation_without_inverting()
    {
        var session = await Client.NewSession();
        var events = await Client.Stream($"/api/sessions/{session}/open/seed/3");
        Assert.DoesNotContain(events, e => e["stage"]?.GetValue<string>() == "inverting");
        var state = events[^1]["state"]!.AsObject();
        Assert.Equal("seed:3", state["photo"]!["source"]!.GetValue<string>());
        Assert.Null(state["photo"]!["inversionPsnrDb"]);
        Assert.Equal(await Client.GetByteArrayAsync("/api/generated/3"), await Client.GetByteArrayAsync($"/api/sessions/{session}/photo.png"));
    }

    [Fact]
    public async Task Opening_an_upload_inverts_the_uploaded_photo()
    {
        var session = await Client.NewSession();
        var state = await Client.Open(session, "upload", ImageContent(await File.ReadAllBytesAsync(SamplePath("church.jpg"))));
        Assert.Equal("upload", state["photo"]!["source"]!.GetValue<string>());
        Assert.Equal(320, state["photo"]!["width"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_non_image_upload_is_refused_with_400_and_the_studio_keeps_serving()
    {
        var session = await Client.NewSession();
        using var text = await Client.PostAsync($"/api/sessions/{session}/open/upload", ImageContent("not an image at all"u8.ToArray(), "text/plain"));
        await AssertRefused(text, HttpStatusCode.BadRequest, "not a recognised image");
        using var truncated = await Client.PostAsync($"/api/sessions/{session}/open/upload",
            ImageContent((await File.ReadAllBytesAsync(SamplePath("church.jpg")))[..200]));
        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
        using var empty = await Client.PostAsync($"/api/sessions/{session}/open/upload", ImageContent([]));
        await AssertRefused(empty, HttpStatusCode.BadRequest, "empty");

        await Client.Open(session, "seed/1");
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_is_413_whether_or_not_its_length_is_announced()
    {
        var session = await Client.NewSession();
        var large = new byte[(16 << 20) + 1];
        using var announced = await Client.PostAsync($"/api/sessions/{session}/open/upload", ImageContent(large));
        await AssertRefused(announced, HttpStatusCode.RequestEntityTooLarge, "smaller image");

        using var chunked = new StreamContent(new MemoryStream(large));
        chunked.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{session}/references") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var streamed = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);

        await Client.Open(session, "seed/1");
    }

    [Fact]
    public async Task A_decompression_bomb_is_refused_before_it_is_decoded()
    {
        var session = await Client.NewSession();
        var bomb = DecompressionBomb.Png(60_000, 60_000);
        Assert.True(bomb.Length < 100);
        using var response = await Client.PostAsync($"/api/sessions/{session}/open/upload", ImageContent(bomb, "image/png"));
        await AssertRefused(response, HttpStatusCode.BadRequest, "60000");
        using var reference = await Client.PostAsync($"/api/sessions/{session}/references", ImageContent(bomb, "image/png"));
        Assert.Equal(HttpStatusCode.BadRequest, reference.StatusCode);
    }

    [Fact]
    public async Task Jobs_on_a_session_without_a_photo_are_409()
    {
        var session = await Client.NewSession();
        using var render = await Client.PostAsync($"/api/sessions/{session}/render", null);
        await AssertRefused(render, HttpStatusCode.Conflict, "open");
        using var undo = await Client.PostAsync($"/api/sessions/{session}/undo", null);
        await AssertRefused(undo, HttpStatusCode.Conflict, "open");
        using var stroke = await Client.PostStroke(session, new { action = "add", concept = "tree", mask = Masks.Encode(Masks.ScaledRectangle(0, 0, 8, 8, Resolution)) });
        await AssertRefused(stroke, HttpStatusCode.Conflict, "open");
        using var photo = await Client.GetAsync($"/api/sessions/{session}/photo.png");
        await AssertRefused(photo, HttpStatusCode.Conflict, "photo");
        using var cancel = await Client.PostAsync($"/api/sessions/{session}/cancel", null);
        await AssertRefused(cancel, HttpStatusCode.Conflict, "Nothing to cancel");
    }

    [Fact]
    public async Task An_unknown_sample_or_a_non_numeric_seed_is_refused_before_anything_is_streamed()
    {
        var session = await Client.NewSession();
        using var sample = await Client.PostAsync($"/api/sessions/{session}/open/sample/nope", null);
        await AssertRefused(sample, HttpStatusCode.NotFound, "church");
        using var seed = await Client.PostAsync($"/api/sessions/{session}/open/seed/1e9x", null);
        await AssertRefused(seed, HttpStatusCode.BadRequest, "whole number");
    }
}
