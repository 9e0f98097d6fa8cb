using CityPairs.Domain.Cities;
using CityPairs.Domain.Partnerships;
using CityPairs.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CityPairs.Web.Data.Configurations;

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.ConfigureEntity();
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.DeclineReason).HasMaxLength(Invitation.ReasonMaxLength);
        builder.Property(i => i.AnsweredByName).HasMaxLength(256);
        builder.Ignore(i => i.IsAnswered);
        builder.HasOne<Partnership>().WithMany().HasForeignKey(i => i.PartnershipId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<City>().WithMany().HasForeignKey(i => i.CityId).OnDelete(DeleteBehavior.Restrict);
        // The account may go; the answer (with the name kept beside it) stays.
        builder.HasOne<AppUser>().WithMany().HasForeignKey(i => i.AnsweredByUserId).OnDelete(DeleteBehavior.SetNull);
        // One question per city and proposal: a second invitation of the same city would be a second answer.
        builder.HasIndex(i => new { i.PartnershipId, i.CityId }).IsUnique();
        builder.HasIndex(i => i.CityId);
        // The reminder job reads only the pending few.
        builder.HasIndex(i => i.CreatedAt).HasDatabaseName("ix_invitations_pending").HasFilter("status = 'Pending'");
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_invitations_answered", "(status = 'Pending') = (answered_at IS NULL)");
            t.HasCheckConstraint("ck_invitations_declined",
                "status <> 'Declined' OR (decline_reason IS NOT NULL AND length(btrim(decline_reason)) > 0)");
        });
    }
}

internal sealed class ProposalQuestionConfiguration : IEntityTypeConfiguration<ProposalQuestion>
{
    public void Configure(EntityTypeBuilder<ProposalQuestion> builder)
    {
        builder.ConfigureEntity();
        builder.Property(q => q.AuthorName).HasMaxLength(256);
        builder.Property(q => q.Text).HasMaxLength(ProposalQuestion.TextMaxLength);
        builder.HasOne<Partnership>().WithMany().HasForeignKey(q => q.PartnershipId).OnDelete(DeleteBehavior.Cascade);
        // Not cascading from the invitation: the partnership's cascade removes both, in one statement each.
        builder.HasOne<Invitation>().WithMany().HasForeignKey(q => q.InvitationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<City>().WithMany().HasForeignKey(q => q.CityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(q => q.AuthorUserId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(q => new { q.PartnershipId, q.CreatedAt });
        builder.ToTable(t => t.HasCheckConstraint("ck_proposal_questions_text", "length(btrim(text)) > 0"));
    }
}
