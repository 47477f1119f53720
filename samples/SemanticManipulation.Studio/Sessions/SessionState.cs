namespace SemanticManipulation.Studio.Sessions;

/// <summary>What the page shows of a session; every editing request answers with it.</summary>
/// <param name="SessionId">The session's id.</param>
/// <param name="Photo">The opened photo, or null.</param>
/// <param name="Strokes">The applied strokes, oldest first.</param>
/// <param name="RedoCount">How many undone strokes redo can bring back.</param>
/// <param name="CanUndo">Whether undo has a stroke to take back.</param>
/// <param name="CanRedo">Whether redo has a stroke to bring back.</param>
/// <param name="Version">Counts changes of the strokes; a render made at another version is stale.</param>
/// <param name="Preview">The preview of the current strokes as a PNG data URL, or null before a photo is open.</param>
/// <param name="Render">The last render, or null.</param>
/// <param name="Busy">The long job running (<c>open</c>, <c>render</c>), or null.</param>
/// <param name="EstimatedBytes">The session's estimated memory.</param>
internal sealed record SessionState(
    string SessionId,
    PhotoInfo? Photo,
    IReadOnlyList<StrokeInfo> Strokes,
    int RedoCount,
    bool CanUndo,
    bool CanRedo,
    int Version,
    string? Preview,
    RenderInfo? Render,
    string? Busy,
    long EstimatedBytes);
