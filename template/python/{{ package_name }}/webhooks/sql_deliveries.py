"""Delivery ids in the database: a unique key decides, so concurrent replays cannot both win."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import DateTime, String, delete, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..models import Base


# Declared here, not in models.py (the team's after the first copy): a project updated to this
# release gets it with this module. migrations/env.py imports it, so autogenerate sees it.
class WebhookDelivery(Base):
    """A webhook delivery already handled; a second one with its id is a replay."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)


class SqlDeliveryLog:
    def __init__(self, sessions: Callable[[], Session], *, ttl_seconds: int) -> None:
        self.ttl_seconds = ttl_seconds
        self._sessions = sessions

    def remember(self, delivery_id: str) -> bool:
        with self._sessions() as session:
            self._prune(session)
            inserted = session.execute(
                insert(WebhookDelivery)
                .values(id=delivery_id)
                .on_conflict_do_nothing(index_elements=[WebhookDelivery.id])
                .returning(WebhookDelivery.id)
            ).scalar_one_or_none()
            session.commit()
        # ON CONFLICT DO NOTHING returns no row for an id already there: that is a replay.
        return inserted is not None

    def _prune(self, session: Session) -> None:
        """Rows older than the window can go: their deliveries fail the timestamp check now."""
        cutoff = func.now() - func.make_interval(0, 0, 0, 0, 0, 0, self.ttl_seconds)
        session.execute(delete(WebhookDelivery).where(WebhookDelivery.received_at < cutoff))
