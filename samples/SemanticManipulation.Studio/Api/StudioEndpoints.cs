using System.Globalization;
using Microsoft.Extensions.Options;
using SemanticManipulation.Editing;
using SemanticManipulation.Studio.Model;
using SemanticManipulation.Studio.Sessions;

namespace SemanticManipulation.Studio.Api;

/// <summary>
/// The studio's HTTP API. A tab creates a session (<c>POST /api/sessions</c>) and names it in the path of every other
/// call, so each tab has its own edit (a cookie would be shared by every tab of the browser) and a download link or an
/// <c>&lt;img src&gt;</c> can name it too. Refusals are <c>{ "error": … }</c> with a 4xx status; long jobs stream NDJSON
/// (<see cref="JobStream"/>).
/// </summary>
internal static class StudioEndpoints
{
    /// <summary>Maps every endpoint onto <paramref name="app"/>.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api");
        api.MapGet("/model", ModelInfo);
        api.MapGet("/samples/{sampleId}", Sample);
        api.MapGet("/generated/{seed}", Generated);

        api.MapPost("/sessions", CreateSession);
        var session = api.MapGroup("/sessions/{sessionId}");
        session.MapGet("", (string sessionId, SessionStore store, StudioEditing editing) => editing.State(store.Get(sessionId)));
        session.MapDelete("", async (string sessionId, SessionStore store) =>
        {
            await store.Delete(sessionId);
            return Results.NoContent();
        });
        session.MapPost("/open/sample/{sampleId}", OpenSample);
        session.MapPost("/open/seed/{seed}", OpenSeed);
        session.MapPost("/open/upload", OpenUpload);
        session.MapPost("/references", AddReference);
        session.MapPost("/strokes", ApplyStroke);
        session.MapDelete("/strokes/{strokeId}", (string sessionId, string strokeId, SessionStore store, StudioEditing editing) =>
            editing.DeleteStroke(Editable(store, sessionId), ParseInt(strokeId, "stroke id")));
        session.MapPost("/undo", (string sessionId, SessionStore store, StudioEditing editing) => editing.Undo(Editable(store, sessionId)));
        session.MapPost("/redo", (string sessionId, SessionStore store, StudioEditing editing) => editing.Redo(Editable(store, sessionId)));
        session.MapPost("/reset", (string sessionId, SessionStore store, StudioEditing editing) => editing.Reset(Editable(store, sessionId)));
        session.MapPost("/render", Render);
        session.MapPost("/cancel", Cancel);
        session.MapGet("/photo.png", (string sessionId, SessionStore store) =>
            PngOrConflict(store.Get(sessionId).Photo?.PhotoPng, "No photo is open in this session."));
        session.MapGet("/preview.png", (string sessionId, SessionStore store) =>
            PngOrConflict(store.Get(sessionId).PreviewPng, "No photo is open in this session."));
        session.MapGet("/render.png", (string sessionId, SessionStore store) =>
            PngOrConflict(store.Get(sessionId).Render?.Png, "Nothing is rendered yet: render the edit first."));
        session.MapGet("/render-full.png", async (string sessionId, SessionStore store, StudioEditing editing) =>
            Results.File(await editing.FullSizeComposite(store.Get(sessionId)), "image/png", "edited-full-size.png"));

        api.Map("/{**rest}", () => Results.Json(new ApiError("No such API endpoint; see the studio's README for the list."),
            statusCode: StatusCodes.Status404NotFound));
    }

    private static ModelInfo ModelInfo(StudioModel model, SampleGallery samples, IOptions<StudioOptions> options)
    {
        var o = options.Value;
        var counts = model.Intensities;
        return new ModelInfo(
            model.Description,
            model.Resolution,
            model.Concepts,
            NamedEdits.Names,
            new Dictionary<string, int>
            {
                ["low"] = counts?.Low ?? 0,
                ["medium"] = counts?.Medium ?? 0,
                ["high"] = counts?.High ?? 0,
            },
            samples.Ids,
            o.GallerySeeds,
            o.MaxUploadBytes,
            new Dictionary<string, int>
            {
                ["inversion"] = o.InversionSteps,
                ["previewAdaptation"] = o.PreviewAdaptationSteps,
                ["renderAdaptation"] = o.RenderAdaptationSteps,
                ["referenceInversion"] = o.ReferenceInversionSteps,
            });
    }

    private static IResult Sample(string sampleId, SampleGallery samples)
    {
        var path = SamplePath(samples, sampleId);
        return Results.File(path, SampleGallery.ContentTypeOf(path));
    }

    private static async Task<IResult> Generated(string seed, StudioEditing editing) =>
        Results.File(await editing.GeneratedPng(ParseLong(seed, "seed")), "image/png");

    private static async Task<IResult> CreateSession(SessionStore store, StudioEditing editing)
    {
        var session = store.Create();
        return Results.Json(await editing.State(session), statusCode: StatusCodes.Status201Created);
    }

    private static Task OpenSample(HttpContext context, string sessionId, string sampleId, SessionStore store, SampleGallery samples,
        StudioEditing editing, ILogger<StudioEditing> logger)
    {
        var session = store.Get(sessionId);
        var source = new PhotoSource.Sample(sampleId, SamplePath(samples, sampleId));
        return JobStream.Run(context, session, "open", (progress, ct) => editing.Open(session, source, progress, ct), logger);
    }

    private static Task OpenSeed(HttpContext context, string sessionId, string seed, SessionStore store, StudioEditing editing,
        ILogger<StudioEditing> logger)
    {
        var session = store.Get(sessionId);
        var source = new PhotoSource.Seed(ParseLong(seed, "seed"));
        return JobStream.Run(context, session, "open", (progress, ct) => editing.Open(session, source, progress, ct), logger);
    }

    private static async Task OpenUpload(HttpContext context, string sessionId, SessionStore store, StudioEditing editing,
        IOptions<StudioOptions> options, ILogger<StudioEditing> logger)
    {
        var session = store.Get(sessionId);
        session.ThrowIfBusy();
        var bytes = await UploadReader.Read(context.Request, options.Value.MaxUploadBytes);
        UploadReader.Check(bytes, editing.LoadOptions);
        var source = new PhotoSource.Upload(bytes);
        await JobStream.Run(context, session, "open", (progress, ct) => editing.Open(session, source, progress, ct), logger);
    }

    private static async Task<IResult> AddReference(HttpContext context, string sessionId, SessionStore store, StudioEditing editing,
        IOptions<StudioOptions> options)
    {
        var session = store.Get(sessionId);
        editing.ThrowIfReferencesFull(session);
        var bytes = await UploadReader.Read(context.Request, options.Value.MaxUploadBytes);
        UploadReader.Check(bytes, editing.LoadOptions);
        var id = await editing.AddReference(session, bytes);
        return Results.Json(new { referenceId = id }, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<SessionState> ApplyStroke(HttpContext context, string sessionId, SessionStore store, StudioModel model,
        SampleGallery samples, StudioEditing editing)
    {
        var session = Editable(store, sessionId);
        if (!context.Request.HasJsonContentType())
        {
            throw new StudioException(StatusCodes.Status415UnsupportedMediaType, "Send the stroke as JSON (Content-Type: application/json).");
        }

        var request = await context.Request.ReadFromJsonAsync<StrokeRequest>(context.RequestAborted);
        var command = StrokeValidation.Validate(request, model, samples);
        return await editing.ApplyStroke(session, command, context.RequestAborted);
    }

    private static Task Render(HttpContext context, string sessionId, SessionStore store, StudioEditing editing, ILogger<StudioEditing> logger)
    {
        var session = store.Get(sessionId);
        // Read off the worker: a reference read, and the worker re-checks it when the job runs.
        if (session.Photo is null)
        {
            throw StudioException.Conflict("No photo is open in this session: open an upload, a sample or a seed first.");
        }

        return JobStream.Run(context, session, "render", (progress, ct) => editing.Render(session, progress, ct), logger);
    }

    private static IResult Cancel(string sessionId, SessionStore store)
    {
        // Only the session named in the path is touched: a tab can cancel its own job and nobody else's.
        var cancelled = store.Get(sessionId).CancelJob()
            ?? throw StudioException.Conflict("Nothing to cancel: this session has no open or render running.");
        return Results.Json(new { cancelled });
    }

    /// <summary>The session, for a change of its strokes: refused while a photo is being opened in it.</summary>
    private static StudioSession Editable(SessionStore store, string sessionId)
    {
        var session = store.Get(sessionId);
        session.ThrowIfOpening();
        return session;
    }

    private static IResult PngOrConflict(byte[]? png, string missing) =>
        png is null ? throw StudioException.Conflict(missing) : Results.File(png, "image/png");

    private static string SamplePath(SampleGallery samples, string sampleId) =>
        samples.PathOf(sampleId) ?? throw StudioException.NotFound($"Unknown sample '{sampleId}': the samples are {string.Join(", ", samples.Ids)}.");

    private static long ParseLong(string text, string what) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw StudioException.BadRequest($"The {what} must be a whole number; got '{text}'.");

    private static int ParseInt(string text, string what) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw StudioException.BadRequest($"The {what} must be a whole number; got '{text}'.");
}
