using FluentValidation.Results;

namespace CityPairs.Web.Features.Common;

/// <summary>Why a save did not happen. A page shows each kind differently; none of them loses the user's input.</summary>
public enum SaveProblem
{
    None,

    /// <summary>Field-level validation failed (FluentValidation or a database check).</summary>
    Invalid,

    /// <summary>Someone else saved the record since it was opened (xmin changed): offer to reload.</summary>
    Conflict,

    /// <summary>The record was removed, or never existed.</summary>
    NotFound,

    /// <summary>An equal record exists already; <see cref="SaveResult{T}.ExistingId"/> points to it.</summary>
    Duplicate,

    /// <summary>A domain rule refused the change (an illegal status move, for example).</summary>
    Refused,

    /// <summary>The person may not make this change (their role or their reach); the API answers 403.</summary>
    Forbidden,

    /// <summary>The database could not be reached even after retries; nothing was saved and the input is kept.</summary>
    Unavailable,
}

public sealed record FieldError(string Field, string Message);

/// <summary>The outcome of a service's write: the saved value, or what went wrong in words for the user.</summary>
public interface ISaveOutcome
{
    SaveProblem Problem { get; }

    string? Message { get; }

    bool Succeeded { get; }
}

public sealed record SaveResult<T> : ISaveOutcome
{
    public T? Value { get; init; }

    public SaveProblem Problem { get; init; }

    public string? Message { get; init; }

    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    public int? ExistingId { get; init; }

    public bool Succeeded => Problem == SaveProblem.None;

    public static SaveResult<T> Ok(T value) => new() { Value = value };

    public static SaveResult<T> Invalid(IEnumerable<ValidationFailure> failures) => new()
    {
        Problem = SaveProblem.Invalid,
        Errors = [.. failures.Select(f => new FieldError(f.PropertyName, f.ErrorMessage))],
        Message = "Some fields need attention.",
    };

    public static SaveResult<T> Invalid(string field, string message) => new()
    {
        Problem = SaveProblem.Invalid,
        Errors = [new FieldError(field, message)],
        Message = message,
    };

    public static SaveResult<T> Conflict(string message) => new() { Problem = SaveProblem.Conflict, Message = message };

    public static SaveResult<T> NotFound(string message) => new() { Problem = SaveProblem.NotFound, Message = message };

    public static SaveResult<T> Duplicate(string message, int existingId) =>
        new() { Problem = SaveProblem.Duplicate, Message = message, ExistingId = existingId };

    public static SaveResult<T> Refused(string message) => new() { Problem = SaveProblem.Refused, Message = message };

    public const string ForbiddenMessage = "You are not allowed to make this change.";

    public static SaveResult<T> Forbidden(string message = ForbiddenMessage) => new() { Problem = SaveProblem.Forbidden, Message = message };

    public static SaveResult<T> Unavailable(string message) => new() { Problem = SaveProblem.Unavailable, Message = message };

    /// <summary>Carries a failure over to a result of another type.</summary>
    public SaveResult<TOther> As<TOther>() => new()
    {
        Problem = Problem, Message = Message, Errors = Errors, ExistingId = ExistingId,
    };
}
