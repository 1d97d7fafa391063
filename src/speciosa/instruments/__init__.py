"""Published scales and criteria as pure functions: typed data in, frozen results out.

No I/O, no clock reads, no printing. Each result carries the source ids behind it, and any
input an instrument cannot score raises :class:`InstrumentInputError` naming the field.

- :mod:`.sleep_diary`     Consensus Sleep Diary metrics (``score_night``)
- :mod:`.device_nights`   nights from wearable samples, beside the diary nights
- :mod:`.bowel`           Bristol scale, Rome IV-style summary, OIC-style check (analogy)
- :mod:`.headache`        ICHD-3 medication-overuse-headache watch (analogy)
- :mod:`.questionnaires`  SDS, SOWS, FSS, PEG (``QUESTIONNAIRES``)
- :mod:`.pain`            change against a baseline (Farrar 2001)
"""

from speciosa.instruments.errors import InstrumentInputError

__all__ = ["InstrumentInputError"]
