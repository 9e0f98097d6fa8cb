using CityPairs.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CityPairs.Web.Features.Invitations;

/// <summary>
/// The consent loop over HTTP, under the same rules as the partnership page (the service checks every one): 403 for
/// someone who does not answer for the city, 409 when the invitation was answered already, 400 on bad input.
/// </summary>
public static class InvitationsApi
{
    public static RouteGroupBuilder MapInvitationsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var partnerships = api.MapGroup("/partnerships").WithTags("Invitations");
        partnerships.MapGet("/{id:int}/invitations", GetAsync).WithName("ListInvitations")
            .WithSummary("Each member city's answer to a proposal (pending, accepted, declined with its reason) and the questions asked.");
        partnerships.MapPost("/{id:int}/agree", AgreeAsync).WithName("AgreePartnership")
            .WithSummary("Agrees a proposal once every invited city has accepted (officers who run it, administrators).")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);

        var invitations = api.MapGroup("/invitations").WithTags("Invitations");
        invitations.MapPost("/{id:int}/accept", AcceptAsync).WithName("AcceptInvitation")
            .WithSummary("Accepts an invitation for the invited city (its coordinators, administrators).")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        invitations.MapPost("/{id:int}/decline", DeclineAsync).WithName("DeclineInvitation")
            .WithSummary("Declines an invitation with a reason; the proposal closes and Matches stops suggesting the pair.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        invitations.MapPost("/{id:int}/questions", AskAsync).WithName("AskAboutInvitation")
            .WithSummary("Posts a question (or the proposer's reply) in the invited city's thread.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    internal static async Task<Results<Ok<ProposalAnswers>, ProblemHttpResult>> GetAsync(int id, InvitationService service, CancellationToken cancellationToken) =>
        await service.GetAsync(id, cancellationToken) is { } answers ? TypedResults.Ok(answers) : ApiV1.NotFound("Partnership", id);

    internal static async Task<IResult> AcceptAsync(int id, InvitationService service, CancellationToken cancellationToken)
    {
        var result = await service.AcceptAsync(id, cancellationToken);
        return result.Succeeded ? TypedResults.Ok(new { status = result.Value.ToString() }) : ApiV1.Failure(result, result.Errors);
    }

    internal static async Task<IResult> DeclineAsync(int id, DeclineRequest? request, InvitationService service, CancellationToken cancellationToken)
    {
        var result = await service.DeclineAsync(id, request?.Reason, cancellationToken);
        return result.Succeeded ? TypedResults.Ok(new { status = result.Value.ToString() }) : ApiV1.Failure(result, result.Errors);
    }

    internal static async Task<IResult> AskAsync(int id, QuestionRequest? request, InvitationService service, CancellationToken cancellationToken)
    {
        var result = await service.AskAsync(id, request?.Text, cancellationToken);
        return result.Succeeded ? TypedResults.Created($"{ApiV1.Prefix}/invitations/{id}/questions/{result.Value}", new { id = result.Value }) : ApiV1.Failure(result, result.Errors);
    }

    internal static async Task<IResult> AgreeAsync(int id, AgreeRequest? request, InvitationService service, CancellationToken cancellationToken)
    {
        var result = await service.AgreeAsync(id, request?.Version, cancellationToken);
        return result.Succeeded ? TypedResults.Ok(new { status = result.Value.ToString() }) : ApiV1.Failure(result, result.Errors);
    }
}
