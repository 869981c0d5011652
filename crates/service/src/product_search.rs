//! The product search across stores (`GET /api/v1/products`): the platform's staff look
//! for listings by store, site, state, reason, violation progress and title; a seller
//! searching the same way only ever finds their own store's.

use marketdesk_core::Invalid;
use marketdesk_store::{catalog, products};

use crate::products::{ProductPage, ProductQuery, tab_counts};
use crate::{Actor, Service, ServiceError, ServiceResult};

/// Which stores a search covers.
#[derive(Debug, Clone, Default)]
pub struct SearchScope {
    pub store_id: Option<String>,
    /// A site code: US, UK, DE, FR, ES, IT, CN.
    pub site: Option<String>,
}

impl Service {
    /// A page of products over the stores `scope` names, with the list page's filters.
    /// Staff search every store; a seller is held to their own (another store's id finds
    /// nothing, as if it did not exist). Tab counts are those of the stores searched.
    pub async fn search_products(
        &self,
        actor: &Actor,
        scope: &SearchScope,
        query: &ProductQuery,
    ) -> ServiceResult<ProductPage> {
        actor.require_area(marketdesk_core::team::Area::Products)?;
        let site = scope.site.as_deref().map(str::trim).map(str::to_uppercase);
        let mut c = self.db.reader().await?;
        if let Some(code) = &site
            && catalog::site(&mut c, code).await?.is_none()
        {
            return Err(Invalid::one("site", format!("no site \"{code}\"")).into());
        }
        let store_id = match (actor.role.bound_to_store(), &scope.store_id) {
            (true, Some(asked)) if Some(asked) != actor.store_id.as_ref() => {
                return Err(ServiceError::NotFound(format!("no store {asked}")));
            }
            (true, _) => Some(actor.store_id.clone().ok_or_else(|| {
                ServiceError::Forbidden("this account is bound to no store".into())
            })?),
            (false, asked) => asked.clone(),
        };
        if let Some(id) = &store_id {
            self.visible_store(&mut c, actor, id).await?;
        }
        let mut filter = query.to_filter(store_id.as_deref())?;
        if let Some(f) = filter.as_mut() {
            f.site_code = site.clone();
        }
        let rows = match &store_id {
            Some(id) => products::counts(&mut c, id).await?,
            None => {
                let mode = filter.as_ref().and_then(|f| f.fulfilment_mode.as_deref());
                products::counts_across(&mut c, site.as_deref(), mode).await?
            }
        };
        self.page_of(&mut c, filter, tab_counts(rows)?).await
    }
}
