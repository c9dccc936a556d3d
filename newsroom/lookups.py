"""`in` on integer columns leaves out numbers no such column can hold, as Django's own `exact` already does.

SQLite takes no parameter past 64 bits: a posted choice such as 99999999999999999999 in a form's
many-to-many field (a story's tags, a webhook's sections) raised OverflowError there, a 500, where PostgreSQL
compares it and finds nothing. No row holds such a number, so leaving it out changes no answer, and the form
then refuses the choice with its own "Select a valid choice".
"""

import copy

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerIn(In):
    def process_rhs(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().process_rhs(compiler, connection)
        low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
        bounded = copy.copy(self)
        bounded.rhs = [
            value
            for value in self.rhs
            if not isinstance(value, int) or (low is None or value >= low) and (high is None or value <= high)
        ]
        return super(IntegerIn, bounded).process_rhs(compiler, connection)


def register():
    IntegerField.register_lookup(IntegerIn)
