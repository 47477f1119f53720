using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using static SemanticManipulation.Studio.Tests.StudioCalls;

namespace SemanticManipulation.Studio.Tests;

[Collection(SharedStudio.Name)]
public sealed class StrokeEndpointTests(StudioFixture studio)
{
    private HttpClient Client => studio.Client;

    private int Resolution => studio.Resolution;

    private byte[] TreeMask => TreeMaskOn(Resolution);

    private static byte[] TreeMaskOn(int resolution) => Masks.ScaledRectangle(4, 8, 24, 28, resolution);

    private object AddTree(byte[]? mask = null) =>
        new { action = "add", concept = "tree", intensity = "high", strength = 1.0, mask = Masks.Encode(mask ?? TreeMask) };

    [Fact]
    public async Task A_stroke_painted_on_a_photo_the_session_has_since_replaced_is_refused_not_applied_to_the_new_one()
    {
        var session = await Client.NewSession();
        var first = (await Client.Open(session, "seed/8"))["photo"]!["number"]!.GetValue<int>();
        var second = (await Client.Open(session, "seed/9"))["photo"]!["number"]!.GetValue<int>();

        using var stale = await Client.PostStroke(session, new
        {
            action = "add", concept = "tree", intensity = "high", strength = 1.0, mask = Masks.Encode(TreeMask), photo = first,
        });
        var current = await Client.Stroke(session, new
        {
            action = "add", concept = "tree", intensity = "high", strength = 1.0, mask = Masks.Encode(TreeMask), photo = second,
        });

        Assert.Equal(first + 1, second);
        await AssertRefused(stale, HttpStatusCode.Conflict, $"painted on photo {first}, and the session has opened photo {second} since");
        Assert.Single(current["strokes"]!.AsArray());
    }

    [Fact]
    public async Task A_stroke_sent_while_a_photo_opens_is_refused_rather_than_applied_to_the_new_photo()
    {
        // An open long enough that the requests below surely arrive during it; it is cancelled once they have.
        await using var server = await StudioServer.StartAsync(o => o.InversionSteps = 5000);
        var client = server.Client;
        var session = await client.NewSession();
        await client.Open(session, "seed/8");
        HttpStatusCode? stroke = null, undo = null;
        string? why = null;
        var events = await client.Stream($"/api/sessions/{session}/open/sample/church", onEvent: async e =>
        {
            if (stroke is null && e["type"]!.GetValue<string>() == "progress")
            {
                using var refused = await client.PostStroke(session, new { action = "add", concept = "tree", mask = Masks.Encode(TreeMaskOn(server.Resolution)) });
                stroke = refused.StatusCode;
                why = (await Json(refused))["error"]!.GetValue<string>();
                using var undone = await client.PostAsync($"/api/sessions/{session}/undo", null);
                undo = undone.StatusCode;
                using var cancel = await client.PostAsync($"/api/sessions/{session}/cancel", null);
            }
        });

        Assert.Equal(HttpStatusCode.Conflict, stroke);
        Assert.Equal(HttpStatusCode.Conflict, undo);
        Assert.Contains("being opened", why, StringComparison.Ordinal);
        Assert.Equal("cancelled", events[^1]["type"]!.GetValue<string>());
        var state = await Json(await client.GetAsync($"/api/sessions/{session}"));
        Assert.Equal("seed:8", state["photo"]!["source"]!.GetValue<string>());   // the cancelled open changed nothing
        Assert.Empty(state["strokes"]!.AsArray());
    }

    [Fact]
    public async Task A_stroke_changes_the_preview_inside_its_region_and_not_far_outside()
    {
        var session = await Client.NewSession();
        var opened = await Client.Open(session, "sample/church");
        var edited = await Client.Stroke(session, AddTree());

        var difference = Pixels.Difference(PreviewOf(opened), PreviewOf(edited));
        var treeMask = TreeMask;
        var farDistance = Pixels.Scaled(16, Resolution);
        double inside = 0, far = 0;
        int insideCount = 0, farCount = 0;
        for (var y = 0; y < Resolution; y++)
        {
            for (var x = 0; x < Resolution; x++)
            {
                var distance = Masks.DistanceTo(treeMask, x, y, Resolution);
                if (distance == 0)
                {
                    inside += difference[y, x];
                    insideCount++;
                }
                else if (distance > farDistance)
                {
                    far += difference[y, x];
                    farCount++;
                }
            }
        }

        inside /= insideCount;
        far /= farCount;
        Assert.True(inside > 10, $"mean change inside the stroke {inside:F2} (0-255)");
        Assert.True(far < 1, $"mean change more than {farDistance} px from the stroke {far:F2} (0-255)");
        Assert.True(inside > 20 * far, $"inside {inside:F2}, far outside {far:F2}");

        var stroke = Assert.Single(edited["strokes"]!.AsArray())!;
        Assert.Equal("tree", stroke["concept"]!.GetValue<string>());
        Assert.Equal("high", stroke["intensity"]!.GetValue<string>());
        Assert.Equal(treeMask.Count(p => p > 0) / (double)treeMask.Length, stroke["coverage"]!.GetValue<double>(), 5);
        Assert.True(edited["canUndo"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Undo_restores_the_previous_preview_exactly_and_redo_the_stroke_preview()
    {
        var session = await Client.NewSession();
        await Client.Open(session, "seed/5");
        var first = await Client.Stroke(session, AddTree());
        var second = await Client.Stroke(session, new
        {
            action = "remove", concept = "tree", intensity = "medium", strength = 0.5,
            mask = Masks.Encode(Masks.ScaledRectangle(30, 30, 60, 60, Resolution)),
        });
        Assert.NotEqual(PreviewOf(first), PreviewOf(second));

        var undone = await Client.Post($"/api/sessions/{session}/undo");
        Assert.Equal(PreviewOf(first), PreviewOf(undone));
        Assert.Equal(PreviewOf(first), await Client.GetByteArrayAsync($"/api/sessions/{session}/preview.png"));
        Assert.True(undone["canRedo"]!.GetValue<bool>());
        Assert.Equal(1, undone["redoCount"]!.GetValue<int>());

        var redone = await Client.Post($"/api/sessions/{session}/redo");
        Assert.Equal(PreviewOf(second), PreviewOf(redone));
        Assert.Equal(2, redone["strokes"]!.AsArray().Count);

        using var redoAgain = await Client.PostAsync($"/api/sessions/{session}/redo", null);
        await AssertRefused(redoAgain, HttpStatusCode.Conflict, "Nothing to redo");
    }

    [Fact]
    public async Task Deleting_a_stroke_keeps_the_others_and_reset_returns_to_the_opened_preview()
    {
        var session = await Client.NewSession();
        var opened = await Client.Open(session, "seed/6");
        var tree = await Client.Stroke(session, AddTree());
        var both = await Client.Stroke(session, new
        {
            action = "add", concept = "dome", intensity = "low", mask = Masks.Encode(Masks.ScaledRectangle(36, 4, 60, 24, Resolution)),
        });
        var ids = both["strokes"]!.AsArray().Select(s => s!["id"]!.GetValue<int>()).ToArray();

        using var deleted = await Client.DeleteAsync($"/api/sessions/{session}/strokes/{ids[1]}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var afterDelete = await Json(deleted);
        Assert.Equal([ids[0]], afterDelete["strokes"]!.AsArray().Select(s => s!["id"]!.GetValue<int>()));
        Assert.Equal(PreviewOf(tree), PreviewOf(afterDelete));

        using var again = await Client.DeleteAsync($"/api/sessions/{session}/strokes/{ids[1]}");
        await AssertRefused(again, HttpStatusCode.NotFound, $"id {ids[1]}");
        using var notNumber = await Client.DeleteAsync($"/api/sessions/{session}/strokes/first");
        await AssertRefused(notNumber, HttpStatusCode.BadRequest, "whole number");

        var reset = await Client.Post($"/api/sessions/{session}/reset");
        Assert.Empty(reset["strokes"]!.AsArray());
        Assert.False(reset["canUndo"]!.GetValue<bool>());
        Assert.Equal(PreviewOf(opened), PreviewOf(reset));
        using var undo = await Client.PostAsync($"/api/sessions/{session}/undo", null);
        await AssertRefused(undo, HttpStatusCode.Conflict, "Nothing to undo");
    }

    [Fact]
    public async Task A_restyle_takes_its_reference_from_a_seed_a_sample_or_an_upload()
    {
        var session = await Client.NewSession();
        var opened = await Client.Open(session, "seed/2");
        var mask = Masks.Encode(Masks.ScaledRectangle(0, 32, 64, 64, Resolution));

        var fromSeed = await Client.Stroke(session, new { action = "restyle", strength = 1.0, mask, reference = new { seed = 4 } });
        Assert.NotEqual(PreviewOf(opened), PreviewOf(fromSeed));
        Assert.Equal("seed:4", fromSeed["strokes"]![0]!["reference"]!.GetValue<string>());

        var fromSample = await Client.Stroke(session, new { action = "restyle", strength = 0.5, mask, reference = new { sample = "church" } });
        Assert.Equal("sample:church", fromSample["strokes"]![1]!["reference"]!.GetValue<string>());

        using var upload = await Client.PostAsync($"/api/sessions/{session}/references",
            ImageContent(await Client.GetByteArrayAsync("/api/generated/9"), "image/png"));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var referenceId = (await Json(upload))["referenceId"]!.GetValue<string>();
        var fromUpload = await Client.Stroke(session, new { action = "restyle", strength = 0.25, mask, reference = new { upload = referenceId } });
        Assert.Equal($"upload:{referenceId}", fromUpload["strokes"]![2]!["reference"]!.GetValue<string>());

        using var unknown = await Client.PostStroke(session, new { action = "restyle", mask, reference = new { upload = "r99" } });
        await AssertRefused(unknown, HttpStatusCode.NotFound, "r99");
    }

    /// <summary>The bad strokes by what is wrong with them. Their bodies and messages depend on the model's side, which is
    /// known only once the studio has started, so the test makes them with <see cref="BadStrokesOn"/>; the cases are
    /// the same at any side.</summary>
    public static TheoryData<string> BadStrokes() => new(BadStrokesOn(Pixels.DrawingResolution).Select(s => s.What));

    /// <summary>Each bad stroke for an S×S model: what is wrong, the body, the status and what the error mentions.</summary>
    private static IEnumerable<(string What, string Body, HttpStatusCode Status, string Mentions)> BadStrokesOn(int resolution)
    {
        var mask = Masks.Encode(TreeMaskOn(resolution));
        var area = resolution * resolution;
        return
        [
            ("unknown concept", $$"""{"action":"add","concept":"unicorn","mask":"{{mask}}"}""", HttpStatusCode.BadRequest, "tree"),
            ("no concept", $$"""{"action":"remove","mask":"{{mask}}"}""", HttpStatusCode.BadRequest, "needs a concept"),
            ("unknown action", $$"""{"action":"paint","concept":"tree","mask":"{{mask}}"}""", HttpStatusCode.BadRequest, "add, remove, restyle"),
            ("unknown intensity", $$"""{"action":"add","concept":"tree","intensity":"extreme","mask":"{{mask}}"}""", HttpStatusCode.BadRequest, "low, medium or high"),
            ("strength above 1", $$"""{"action":"add","concept":"tree","strength":1.5,"mask":"{{mask}}"}""", HttpStatusCode.BadRequest, "between 0 and 1"),
            ("negative strength", $$"""{"action":"add","concept":"tree","strength":-0.1,"mask":"{{mask}}"}""", HttpStatusCode.BadRequest, "between 0 and 1"),
            // Half the side: decodable, but a quarter of the bytes. Twice the side: more than a mask's base64 can hold.
            ("mask of another size", $$"""{"action":"add","concept":"tree","mask":"{{Masks.Encode(new byte[area / 4])}}"}""", HttpStatusCode.BadRequest, $"{resolution}×{resolution}"),
            ("mask too large", $$"""{"action":"add","concept":"tree","mask":"{{Masks.Encode(new byte[area * 4])}}"}""", HttpStatusCode.BadRequest, $"{area} bytes"),
            ("mask not base64", """{"action":"add","concept":"tree","mask":"@@@not-base64@@@"}""", HttpStatusCode.BadRequest, "base64"),
            ("empty mask", $$"""{"action":"add","concept":"tree","mask":"{{Masks.Encode(new byte[area])}}"}""", HttpStatusCode.BadRequest, "empty"),
            ("no mask", """{"action":"add","concept":"tree"}""", HttpStatusCode.BadRequest, "needs a mask"),
            ("restyle without reference", $$"""{"action":"restyle","mask":"{{mask}}"}""", HttpStatusCode.BadRequest, "exactly one reference"),
            ("restyle with two references", $$$"""{"action":"restyle","mask":"{{{mask}}}","reference":{"seed":1,"sample":"church"}}""", HttpStatusCode.BadRequest, "exactly one reference"),
            ("restyle after an unknown sample", $$$"""{"action":"restyle","mask":"{{{mask}}}","reference":{"sample":"../../secret"}}""", HttpStatusCode.NotFound, "church"),
            ("not JSON", "action=add", HttpStatusCode.BadRequest, "JSON"),
            ("JSON of the wrong shape", """{"action":["add"],"mask":5}""", HttpStatusCode.BadRequest, "JSON"),
        ];
    }

    [Theory]
    [MemberData(nameof(BadStrokes))]
    public async Task A_bad_stroke_is_refused_with_a_message_and_changes_nothing(string what)
    {
        var (_, body, status, mentions) = BadStrokesOn(Resolution).Single(s => s.What == what);
        var session = await Client.NewSession();
        var opened = await Client.Open(session, "seed/1");
        using var response = await Client.PostAsync($"/api/sessions/{session}/strokes", new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertRefused(response, status, mentions);

        var state = JsonNode.Parse(await Client.GetStringAsync($"/api/sessions/{session}"))!.AsObject();
        Assert.True(state["strokes"]!.AsArray().Count == 0, what);
        Assert.Equal(PreviewOf(opened), PreviewOf(state));
    }

    [Fact]
    public async Task A_stroke_that_is_not_json_by_content_type_is_415()
    {
        var session = await Client.NewSession();
        await Client.Open(session, "seed/1");
        using var response = await Client.PostAsync($"/api/sessions/{session}/strokes", new StringContent("{}", Encoding.UTF8, "text/plain"));
        await AssertRefused(response, HttpStatusCode.UnsupportedMediaType, "JSON");
    }
}
