-- A return may cover several lines of one order (seed 003 routes it as a whole). Such a
-- case has no order_line_id of its own; its lines are here.
CREATE TABLE aftersales_case_lines (
    case_id       TEXT NOT NULL REFERENCES aftersales_cases(id),
    order_line_id TEXT NOT NULL REFERENCES order_lines(id),
    store_id      TEXT NOT NULL,
    PRIMARY KEY (case_id, order_line_id)
);
